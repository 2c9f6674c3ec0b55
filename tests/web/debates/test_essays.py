"""Essays: drafts, word counts and submitting; rubrics; grading, releasing and the gradebook API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quiz.essays.models import Essay, RubricGrade
from tests.web.debates.test_discussions import XSS_PAYLOADS, assert_inert


def _grade_data(rubric, pick=-1, comment="Well argued."):
    data = {f"criterion_{c.id}": str(c.levels[pick].id) for c in rubric.criteria}
    return {**data, "comment": comment}


def test_draft_saves_counts_words_and_submits(db, login, student, essay_assignment):
    """A draft saves with its word count; submitting freezes it."""
    browser = login(student)
    assert browser.post(f"/essays/{essay_assignment.id}", data={"body": "One two three.", "save": "1"}
                        ).status_code == 302
    essay = db.session.scalar(select(Essay))
    assert (essay.word_count, essay.submitted_at) == (3, None)
    assert browser.post(f"/essays/{essay_assignment.id}", data={"body": "One two three four.", "submit": "1"}
                        ).status_code == 302
    db.session.refresh(essay)
    assert essay.word_count == 4 and essay.submitted_at is not None
    again = browser.post(f"/essays/{essay_assignment.id}", data={"body": "Changed", "save": "1"})
    assert again.status_code == 422 and "already submitted" in again.get_data(as_text=True)
    db.session.refresh(essay)
    assert essay.body == "One two three four."


def test_autosave_answers_json(db, login, student, essay_assignment):
    """The autosave request gets the time saved and the word count back as JSON."""
    response = login(student).post(f"/essays/{essay_assignment.id}", data={"body": "Autosaved words here"},
                                   headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["words"] == 3


def test_empty_and_overlong_essays_are_refused(db, login, student, essay_assignment):
    """Submitting nothing, or more than 60,000 characters, is refused and stores nothing."""
    browser = login(student)
    empty = browser.post(f"/essays/{essay_assignment.id}", data={"body": "  ", "submit": "1"})
    assert empty.status_code == 422 and "Write your essay" in empty.get_data(as_text=True)
    long = browser.post(f"/essays/{essay_assignment.id}", data={"body": "x" * 60_001, "save": "1"})
    assert long.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Essay)) == 0


def test_minimum_words_are_enforced_on_submit(db, login, classroom, teacher, student, prompt, clock):
    """An essay under the minimum cannot be submitted (its draft still saves)."""
    from quiz.debates.services import assign_prompt

    assignment = assign_prompt(classroom, teacher, prompt, "essay", min_words=5)
    response = login(student).post(f"/essays/{assignment.id}", data={"body": "Too short.", "submit": "1"})
    assert response.status_code == 422 and "needs at least 5" in response.get_data(as_text=True)


def test_teacher_grades_with_the_rubric_and_releases(db, login, teacher, student, essay_assignment):
    """The grade is hidden until released; then the student sees each criterion's level and the comment."""
    from quiz.essays.services import grading_rubric, save_essay

    essay = save_essay(essay_assignment, student, "Chile gains ships.", submit=True)
    rubric = grading_rubric(essay_assignment)
    browser = login(teacher)
    response = browser.post(f"/essays/submissions/{essay.id}", data=_grade_data(rubric))
    assert response.status_code == 302
    db.session.refresh(essay)
    assert (essay.grade.points, essay.grade.max_points) == (16, 16)
    hidden = login(student).get(f"/essays/{essay_assignment.id}").get_data(as_text=True)
    assert "Not graded yet" in hidden and "Well argued." not in hidden
    browser.post(f"/essays/{essay_assignment.id}/release")
    shown = login(student).get(f"/essays/{essay_assignment.id}").get_data(as_text=True)
    assert "Your grade: 16 out of 16" in shown and "Well argued." in shown and "Excellent" in shown


def test_grading_without_every_criterion_is_refused(db, login, teacher, student, essay_assignment):
    """A missing criterion is refused with its name; no grade is stored."""
    from quiz.essays.services import grading_rubric, save_essay

    essay = save_essay(essay_assignment, student, "Text.", submit=True)
    rubric = grading_rubric(essay_assignment)
    data = _grade_data(rubric)
    del data[f"criterion_{rubric.criteria[0].id}"]
    response = login(teacher).post(f"/essays/submissions/{essay.id}", data=data)
    assert response.status_code == 422 and "Choose a level for “Argument”" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RubricGrade)) == 0


def test_a_level_of_another_criterion_is_refused(db, teacher, student, essay_assignment):
    """grade_with_rubric checks each level belongs to its criterion."""
    from quiz.essays.services import EssayError, grade_with_rubric, grading_rubric

    rubric = grading_rubric(essay_assignment)
    scores = {c.id: c.levels[0].id for c in rubric.criteria}
    scores[rubric.criteria[0].id] = rubric.criteria[1].levels[0].id
    with pytest.raises(EssayError):
        grade_with_rubric(rubric, scores, "", teacher)


def test_grade_with_rubric_api_totals_levels(db, teacher, clock):
    """The reusable API: scores by criterion give points, the maximum and a text copy of each level."""
    from quiz.essays.services import grade_with_rubric, save_rubric

    rubric = save_rubric(None, teacher, "Two rows",
                         "Claim: is clear\n- 0 No\n- 2 Yes\n\nEvidence:\n- 1 Thin\n- 3 Rich\n")
    grade = grade_with_rubric(rubric, {rubric.criteria[0].id: rubric.criteria[0].levels[1].id,
                                       rubric.criteria[1].id: rubric.criteria[1].levels[0].id}, "Ok", teacher)
    db.session.commit()
    assert (grade.points, grade.max_points) == (3, 5)
    assert [(s.criterion_title, s.level_title) for s in grade.scores] == [("Claim", "Yes"), ("Evidence", "Thin")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "at least one criterion"),
    ("- 1 Level first", "write the criterion before its levels"),
    ("Claim: clear\n- 2 Only one", "needs at least two levels"),
    ("Claim: clear\n- two Bad points\n- 3 Good", "Line 2"),
])
def test_malformed_rubrics_are_refused_with_the_line(db, login, teacher, text, message):
    """The rubric text's mistakes are named; nothing is stored."""
    response = login(teacher).post("/essays/rubrics/new", data={"title": "Broken", "prompt_id": "0", "text": text})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True) or "This field is required" in response.get_data(as_text=True)


def test_rubric_round_trips_through_its_text(db, login, teacher):
    """A saved rubric shows as a table and its text edits back to the same rubric."""
    from quiz.essays.services import STANDARD_RUBRIC, rubric_text, save_rubric

    rubric = save_rubric(None, teacher, "Standard", STANDARD_RUBRIC)
    assert rubric.max_points == 16
    assert [c.title for c in save_rubric(rubric, teacher, "Standard", rubric_text(rubric)).criteria] == [
        "Argument", "Evidence", "Counter-arguments", "Clarity"]
    page = login(teacher).get(f"/essays/rubrics/{rubric.id}").get_data(as_text=True)
    assert "Standard (out of 16)" in page


def test_rubric_chosen_at_assignment_is_used_for_grading(db, login, classroom, teacher, prompt, clock):
    """An essay assigned with a rubric grades with it."""
    from quiz.essays.services import grading_rubric, save_rubric

    rubric = save_rubric(None, teacher, "Mine", "Claim: clear\n- 0 No\n- 1 Yes\n")
    browser = login(teacher)
    response = browser.post(f"/debates/classes/{classroom.id}/assign", data={
        "prompt_id": prompt.id, "kind": "essay", "rubric_id": rubric.id, "opening": "3", "rebuttal": "2",
        "closing": "1.5"})
    assert response.status_code == 302
    from quiz.debates.models import PromptAssignment

    assignment = db.session.scalar(select(PromptAssignment).where(PromptAssignment.kind == "essay"))
    assert grading_rubric(assignment).id == rubric.id


def test_essay_grades_for_class_lists_graded_essays(db, teacher, student, classroom, essay_assignment):
    """The gradebook API: student, assignment, prompt, points, maximum and whether released."""
    from quiz.essays.services import (
        essay_grades_for_class,
        grade_essay,
        grading_rubric,
        release_grades,
        save_essay,
    )

    essay = save_essay(essay_assignment, student, "Text.", submit=True)
    rubric = grading_rubric(essay_assignment)
    grade_essay(essay, teacher, {c.id: c.levels[1].id for c in rubric.criteria}, "")
    [row] = essay_grades_for_class(classroom)
    assert (row.student.id, row.prompt.id, row.points, row.max_points, row.released) == (
        student.id, essay_assignment.prompt_id, 8, 16, False)
    release_grades(essay_assignment)
    assert essay_grades_for_class(classroom)[0].released


def test_reopened_essay_can_be_revised(db, login, teacher, student, essay_assignment):
    """Returning an essay for revision makes it a draft again."""
    from quiz.essays.services import save_essay

    essay = save_essay(essay_assignment, student, "First go.", submit=True)
    login(teacher).post(f"/essays/submissions/{essay.id}/reopen")
    assert login(student).post(f"/essays/{essay_assignment.id}", data={"body": "Second go.", "save": "1"}
                               ).status_code == 302


def test_drafts_cannot_be_opened_for_grading(db, login, teacher, student, essay_assignment):
    """Only submitted essays reach the grading screen."""
    from quiz.essays.services import save_essay

    draft = save_essay(essay_assignment, student, "Draft.")
    assert login(teacher).get(f"/essays/submissions/{draft.id}").status_code == 404


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_in_essays_and_comments_are_rendered_inert(db, login, teacher, student, essay_assignment,
                                                                payload):
    """Essays and grading comments go through the same sanitiser as posts."""
    from quiz.essays.services import grade_essay, grading_rubric, release_grades, save_essay

    essay = save_essay(essay_assignment, student, payload, submit=True)
    rubric = grading_rubric(essay_assignment)
    grade_essay(essay, teacher, {c.id: c.levels[0].id for c in rubric.criteria}, payload)
    release_grades(essay_assignment)
    assert_inert(login(teacher).get(f"/essays/submissions/{essay.id}").get_data(as_text=True))
    assert_inert(login(student).get(f"/essays/{essay_assignment.id}").get_data(as_text=True))
