"""Review pages follow the quiz's options; teachers mark essays; grading methods; readings for students."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quiz.quizzes.models import Attempt
from quiz.quizzes.services import final_grade, finish, save_answer, start_attempt


def finished_attempt(assignment, student, answers: dict[str, str] | None = None) -> Attempt:
    attempt = start_attempt(assignment, student)
    for slot in attempt.slots:
        value = (answers or {}).get(slot.snapshot["type"])
        if value is not None:
            save_answer(attempt, slot.id, value)
    finish(attempt)
    return attempt


def test_review_shows_answers_correct_answers_and_the_cited_passage(login, student, make_quiz, bank, db):
    """With every option on: score, the student's answer, the right one, the explanation."""
    from question_bank.model import Citation

    plain = bank[0].to_plain()
    plain.source = Citation("pact.txt", "Harbour Pact", "The pact was signed in Oslo on 3 March.", 0, 38)
    bank[0].set_from_plain(plain)
    db.session.commit()
    _, assignment = make_quiz(types=["multiple_choice"])
    attempt = finished_attempt(assignment, student, {"multiple_choice": "Bergen"})
    page = login(student).get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "0 / 1" in page and "Your answer:</strong> Bergen" in page
    assert "Correct answer:</strong> Oslo" in page and "It was signed in Oslo." in page
    assert "signed in <mark>Oslo</mark> on 3 March" in page


@pytest.mark.parametrize(("option", "hidden"), [("review_score", "0 / 1"), ("review_answers", "Your answer"),
                                                ("review_correct", "Correct answer"),
                                                ("review_explanations", "It was signed in Oslo.")])
def test_each_review_option_hides_its_part(login, student, make_quiz, option, hidden):
    """Turning an option off removes that part of the review."""
    _, assignment = make_quiz(types=["multiple_choice"], **{option: False})
    attempt = finished_attempt(assignment, student, {"multiple_choice": "Bergen"})
    assert hidden not in login(student).get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)


def test_review_after_close_waits_for_the_closing_time(login, student, make_quiz, clock):
    """Before the quiz closes the student sees only that it was submitted."""
    _, assignment = make_quiz(types=["multiple_choice"], review_when="after_close",
                              assignment_dates=(None, clock.now + timedelta(days=1)))
    attempt = finished_attempt(assignment, student, {"multiple_choice": "Oslo"})
    browser = login(student)
    before = browser.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "after the quiz closes" in before and "Correct answer" not in before
    clock.advance(days=2)
    assert "Correct answer" in browser.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)


def test_review_never_shows_nothing_to_the_student_but_all_to_the_teacher(login, student, teacher, make_quiz):
    """"Never" hides the review from students, never from their teacher."""
    _, assignment = make_quiz(types=["multiple_choice"], review_when="never")
    attempt = finished_attempt(assignment, student, {"multiple_choice": "Oslo"})
    assert "Correct answer" not in login(student).get(f"/quizzes/attempts/{attempt.id}/review").get_data(
        as_text=True)
    assert "Correct answer" in login(teacher).get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)


def test_teacher_marks_an_essay_and_the_total_updates(login, teacher, student, make_quiz, db):
    """The essay's marks are added, and the attempt no longer waits for marking."""
    _, assignment = make_quiz(types=["essay", "true_false"])
    attempt = finished_attempt(assignment, student, {"essay": "It was fair because...", "true_false": "true"})
    assert attempt.needs_grading and attempt.score == 1
    essay = next(s for s in attempt.slots if s.snapshot["type"] == "essay")
    browser = login(teacher)
    too_many = browser.post(f"/quizzes/slots/{essay.id}/grade", data={"score": "5", "feedback": "x"},
                            follow_redirects=True)
    assert "between 0 and 1" in too_many.get_data(as_text=True)
    browser.post(f"/quizzes/slots/{essay.id}/grade", data={"score": "0.5", "feedback": "Good start."})
    db.session.refresh(attempt)
    assert not attempt.needs_grading and attempt.score == 1.5
    review = login(student).get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Good start." in review


def test_another_teacher_cannot_mark_or_see_the_attempt(login, other_teacher, student, make_quiz):
    """Attempts of a class are its teachers' business only."""
    _, assignment = make_quiz(types=["essay"])
    attempt = finished_attempt(assignment, student, {"essay": "Text"})
    browser = login(other_teacher)
    assert browser.get(f"/quizzes/attempts/{attempt.id}/review").status_code == 404
    assert browser.post(f"/quizzes/slots/{attempt.slots[0].id}/grade", data={"score": "1"}).status_code == 404


@pytest.mark.parametrize(("method", "expected"), [("highest", 100), ("first", 0), ("last", 50),
                                                  ("average", 50)])
def test_grading_methods(student, make_quiz, method, expected):
    """Highest, first, last and average over three attempts scoring 0%, 100% and 50%."""
    quiz, assignment = make_quiz(types=["true_false", "multiple_choice"], attempts_allowed=0,
                                 grading_method=method)
    attempts = [finished_attempt(assignment, student, answers) for answers in
                ({}, {"true_false": "true", "multiple_choice": "Oslo"}, {"true_false": "true"})]
    assert final_grade(quiz, attempts) == pytest.approx(expected)


def test_grading_method_of_no_attempts_is_none(make_quiz):
    """A student who never finished has no grade."""
    quiz, _ = make_quiz()
    assert final_grade(quiz, []) is None


def test_students_reach_a_reading_only_through_their_reviewed_questions(login, student, other_student, make_quiz,
                                                                        teacher, db, bank):
    """The cited reading opens for a student who met the question, and for nobody else."""
    from quiz.bank.services import add_reading, generate_into_bank
    from tests.web.bank.conftest import ARTICLE

    unit = bank[0].unit
    source = add_reading(unit, teacher, ARTICLE.encode(), "harbour.txt")
    generated = generate_into_bank(unit, teacher, types=["true_false"], max_questions=1)
    generated[0].status = "approved"
    db.session.commit()
    quiz, assignment = make_quiz(types=["essay"])
    from quiz.quizzes.services import add_questions

    add_questions(quiz, teacher, [generated[0].id])
    assert login(student).get(f"/quizzes/readings/{source.id}").status_code == 404
    finished_attempt(assignment, student)
    assert login(student).get(f"/quizzes/readings/{source.id}").status_code == 200
    assert login(other_student).get(f"/quizzes/readings/{source.id}").status_code == 404
    assert login(teacher).get(f"/quizzes/readings/{source.id}").status_code == 200


def test_finishing_an_attempt_schedules_its_questions_for_review(student, make_quiz, db, clock):
    """Each auto-graded question met in a quiz becomes a study card; essays do not."""
    from quiz.practice.services import cards_summary, due_count

    _, assignment = make_quiz(types=["multiple_choice", "true_false", "essay"])
    finished_attempt(assignment, student, {"multiple_choice": "Bergen", "true_false": "true"})
    summary = cards_summary(student)
    assert summary.total == 2 and summary.reviews == 2 and summary.recall_rate == 0.5
    clock.advance(days=2)
    assert due_count(student, clock.now) >= 1


def test_teacher_marks_a_quiz_essay_with_a_rubric(login, teacher, student, make_quiz, db):
    """The essays' rubric screen marks a quiz essay: marks follow the rubric's share, levels show in the review."""
    from quiz.essays.services import standard_rubric

    _, assignment = make_quiz(types=["essay"])
    attempt = finished_attempt(assignment, student, {"essay": "Chile gained ships but gave up quotas..."})
    slot = attempt.slots[0]
    rubric = standard_rubric(teacher)
    browser = login(teacher)
    page = browser.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Mark with a rubric" in page and "Standard essay rubric" in page
    top = {f"criterion_{c.id}": max(c.levels, key=lambda lv: lv.points).id for c in rubric.criteria}
    bottom = {f"criterion_{c.id}": min(c.levels, key=lambda lv: lv.points).id for c in rubric.criteria}
    half = {**top, **dict(list(bottom.items())[: len(bottom) // 2])}
    response = browser.post(f"/quizzes/slots/{slot.id}/rubric/{rubric.id}", data={**half, "comment": "Fair."})
    assert response.status_code == 302
    db.session.refresh(slot)
    share = slot.rubric_grade.points / slot.rubric_grade.max_points
    assert 0 < share < 1 and slot.score == pytest.approx(round(share * slot.marks, 2))
    review = login(student).get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Rubric:" in review and rubric.criteria[0].title in review and "Fair." in review


def test_rubric_marking_refuses_a_missing_level_and_another_teachers_rubric(login, teacher, other_teacher, student,
                                                                          make_quiz, db):
    """Every criterion needs a level; a rubric of another teacher is not theirs to use."""
    from quiz.essays.services import standard_rubric

    _, assignment = make_quiz(types=["essay"])
    attempt = finished_attempt(assignment, student, {"essay": "Text"})
    slot = attempt.slots[0]
    mine, theirs = standard_rubric(teacher), standard_rubric(other_teacher)
    browser = login(teacher)
    assert browser.post(f"/quizzes/slots/{slot.id}/rubric/{theirs.id}", data={"comment": "x"}).status_code == 404
    page = browser.post(f"/quizzes/slots/{slot.id}/rubric/{mine.id}", data={"comment": "x"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Choose a level" in page
    db.session.refresh(slot)
    assert slot.score is None and slot.rubric_grade_id is None


def test_the_review_page_does_not_query_once_per_question(login, student, make_quiz, db):
    """Reviewing eight answers takes as many statements as reviewing two: questions and passages come at once."""
    from sqlalchemy import event

    def statements_for(types) -> int:
        _, assignment = make_quiz(types=types, title=f"Review of {types or 'every type'}")
        attempt = finished_attempt(assignment, student, {"multiple_choice": "Oslo"})
        browser, seen = login(student), []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert browser.get(f"/quizzes/attempts/{attempt.id}/review").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for(["multiple_choice", "true_false"]) == statements_for(None)
