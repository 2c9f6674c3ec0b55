"""The gradebook: grades by each quiz's method, standing marks, overrides with their log, and exports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from quiz.progress.models import GradeOverride
from tests.web.progress.conftest import AUTO, RIGHT


def _words(page: str) -> str:
    """The page's text with tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _gradebook(browser, classroom) -> str:
    return browser.get(f"/progress/classes/{classroom.id}/gradebook").get_data(as_text=True)


def test_the_grade_follows_the_quizs_grading_method(login, teacher, student, classroom, make_quiz, take, db):
    """Two attempts, 100% then 0%: "highest" shows 100%, "last" shows 0%; both show 2 attempts."""
    quiz, assignment = make_quiz(types=AUTO, attempts_allowed=2, grading_method="highest")
    take(assignment, student, RIGHT)
    take(assignment, student, {})
    browser = login(teacher)
    page = _gradebook(browser, classroom)
    assert f'/progress/assignments/{assignment.id}/students/{student.id}">100%</a>' in page
    assert "2 attempts" in page
    quiz.grading_method = "last"
    db.session.commit()
    assert f'/students/{student.id}">0%</a>' in _gradebook(browser, classroom)


def test_marks_show_not_started_overdue_and_who_is_behind(login, teacher, student, classroom, make_quiz, clock):
    """An open quiz nobody started is "not started"; a closed one is "overdue" and puts the student behind."""
    make_quiz(types=["multiple_choice"], title="Open quiz")
    make_quiz(types=["true_false"], title="Closing quiz", assignment_dates=(None, clock.now + timedelta(hours=1)))
    make_quiz(types=["cloze"], title="Later quiz", assignment_dates=(clock.now + timedelta(days=3), None))
    browser = login(teacher)
    before = _gradebook(browser, classroom)
    assert "not started" in before and "not open yet" in before
    assert before.count(">due soon</span>") == 1  # only the quiz closing within the hour
    assert "Nobody is behind" in before
    clock.advance(hours=2)
    after = _gradebook(browser, classroom)
    assert ">overdue</a>" in after
    assert "Sam Student : 1 overdue quiz" in _words(after)


def test_a_late_finish_and_a_grade_below_the_pass_mark_are_marked(login, teacher, student, classroom, make_quiz,
                                                                  take, db, clock):
    """Finished after the (moved) closing time: "late"; under the pass mark: "below pass"."""
    _, assignment = make_quiz(types=AUTO, pass_mark=60)
    attempt = take(assignment, student, {"multiple_choice": "Oslo"})
    assignment.closes_at = attempt.finished_at - timedelta(minutes=5)
    db.session.commit()
    page = _gradebook(login(teacher), classroom)
    assert ">late</span>" in page and ">below pass</span>" in page
    assert "Sam Student : 1 below the pass mark" in _words(page)


def test_grade_page_links_to_every_attempts_review(login, teacher, student, make_quiz, take):
    """The cell's page lists each attempt with a link to its review."""
    _, assignment = make_quiz(types=AUTO, attempts_allowed=0)
    first, second = take(assignment, student, RIGHT), take(assignment, student, {})
    page = login(teacher).get(f"/progress/assignments/{assignment.id}/students/{student.id}").get_data(as_text=True)
    assert f'href="/quizzes/attempts/{first.id}/review"' in page
    assert f'href="/quizzes/attempts/{second.id}/review"' in page


def test_overriding_a_grade_is_logged_and_can_be_undone(login, teacher, student, classroom, make_quiz, take, db):
    """An override replaces the grade everywhere, with its reason kept; removing it brings the quiz's grade back."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, {"multiple_choice": "Oslo"})
    browser = login(teacher)
    url = f"/progress/assignments/{assignment.id}/students/{student.id}"
    response = browser.post(url, data={"percent": "85", "reason": "Marked on paper after a power cut."})
    assert response.status_code == 302
    page = _gradebook(browser, classroom)
    assert f'/students/{student.id}">85%</a>' in page and "overridden" in page
    detail = browser.get(url).get_data(as_text=True)
    assert "Marked on paper after a power cut." in detail and "Tess Teacher" in detail and "85.0%" in detail
    assert browser.post(url, data={"percent": "", "reason": "Paper lost; back to the quiz."}).status_code == 302
    assert f'/students/{student.id}">20%</a>' in _gradebook(browser, classroom)
    history = db.session.scalars(select(GradeOverride).order_by(GradeOverride.id)).all()
    assert [(row.percent, row.teacher_id) for row in history] == [(85.0, teacher.id), (None, teacher.id)]


def test_bad_overrides_are_refused_and_write_nothing(login, teacher, student, make_quiz, take, db):
    """No reason, a grade over 100, or removing an override that does not exist: 422 and no row."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, RIGHT)
    browser = login(teacher)
    url = f"/progress/assignments/{assignment.id}/students/{student.id}"
    no_reason = browser.post(url, data={"percent": "50", "reason": "  "})
    assert no_reason.status_code == 422 and "This field is required" in no_reason.get_data(as_text=True)
    too_high = browser.post(url, data={"percent": "150", "reason": "Bonus"})
    assert too_high.status_code == 422 and "between 0 and 100" in too_high.get_data(as_text=True)
    not_a_number = browser.post(url, data={"percent": "lots", "reason": "Bonus"})
    assert not_a_number.status_code == 422
    nothing_to_remove = browser.post(url, data={"percent": "", "reason": "Undo"})
    assert nothing_to_remove.status_code == 422
    assert "There is no override to remove" in nothing_to_remove.get_data(as_text=True)
    assert db.session.scalar(select(func.count(GradeOverride.id))) == 0


def test_override_needs_the_csrf_token(login, teacher, student, make_quiz, take, db):
    """A forged POST without the token changes nothing."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, RIGHT)
    response = login(teacher).post(f"/progress/assignments/{assignment.id}/students/{student.id}",
                                   data={"percent": "10", "reason": "forged"}, csrf=False)
    assert response.status_code in (400, 422)
    assert db.session.scalar(select(func.count(GradeOverride.id))) == 0


def _csv_rows(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark, so Excel reads accents"
    assert b"\r\n" in raw
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_export_parses_back_to_the_gradebook(login, teacher, student, other_student, classroom, make_quiz,
                                                 take, db):
    """One row per student with each quiz's grade (override included), the average and the overdue count."""
    from quiz.classes.models import MemberRole, Membership

    db.session.add(Membership(classroom=classroom, user=other_student, role=MemberRole.STUDENT))
    other_student.display_name = "Zoë Ümlaut"
    db.session.commit()
    _, first = make_quiz(types=AUTO, title="Signing, part 1")
    _, second = make_quiz(types=AUTO, title="Reactions")
    take(first, student, RIGHT)
    take(second, student, {"multiple_choice": "Oslo"})
    take(first, other_student, {"multiple_choice": "Oslo", "true_false": "true"})
    browser = login(teacher)
    browser.post(f"/progress/assignments/{second.id}/students/{student.id}", data={"percent": "70", "reason": "Oral"})
    response = browser.get(f"/progress/classes/{classroom.id}/gradebook.csv")
    assert response.mimetype == "text/csv"
    assert 'attachment; filename=civics-a-gradebook.csv' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    titles = {a.id: a.quiz.title for a in (first, second)}
    assert rows[0] == ["Student", "Email", f"{titles[first.id]} (%)", f"{titles[second.id]} (%)",
                       "Average (%)", "Overdue"]
    assert rows[1] == ["Sam Student", "student@example.org", "100.0", "70.0", "85.0", "0"]
    assert rows[2] == ["Zoë Ümlaut", "other.student@example.org", "40.0", "", "40.0", "0"]
    assert len(rows) == 3


def test_csv_export_defuses_formulas_in_names(login, teacher, student, classroom, make_quiz, db):
    """A name a spreadsheet would run as a formula is written as text."""
    student.display_name = '=HYPERLINK("http://evil.example","click")'
    db.session.commit()
    make_quiz(types=AUTO)
    rows = _csv_rows(login(teacher).get(f"/progress/classes/{classroom.id}/gradebook.csv"))
    assert rows[1][0] == "'" + student.display_name


def test_json_export_has_every_cell(login, teacher, student, classroom, make_quiz, take):
    """The JSON lists the class, its quizzes and each student's grade, attempts and standing."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, RIGHT)
    response = login(teacher).get(f"/progress/classes/{classroom.id}/gradebook.json")
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["class"] == {"id": classroom.id, "name": "Civics A"}
    assert data["quizzes"][0]["title"] == "Fisheries check" and data["quizzes"][0]["grading_method"] == "highest"
    cell = data["students"][0]["quizzes"][str(assignment.id)]
    assert cell == {"grade": 100.0, "computed": 100.0, "overridden": False, "override_reason": None,
                    "attempts": 1, "status": "done", "due_soon": False, "late": False, "needs_grading": False}


def test_essay_grades_show_in_the_gradebook(login, teacher, student, classroom, db):
    """A graded essay appears in its own column, marked until it is released."""
    from question_bank.models import Unit
    from quiz.debates.models import Prompt, PromptAssignment
    from quiz.essays.models import Essay, RubricGrade

    unit = Unit(slug="essays", title="Essays unit", owner=teacher)
    prompt = Prompt(unit=unit, title="Was the pact fair?", question="Was the pact fair to Chile?")
    essay_assignment = PromptAssignment(classroom=classroom, prompt=prompt, kind="essay")
    grade = RubricGrade(points=7, max_points=10)
    db.session.add_all([unit, prompt, essay_assignment, grade])
    db.session.flush()
    db.session.add(Essay(assignment_id=essay_assignment.id, student_id=student.id, body="It was.", grade_id=grade.id))
    db.session.commit()
    browser = login(teacher)
    page = _gradebook(browser, classroom)
    assert "Was the pact fair?" in page and "7/10" in page and "not released" in page
    rows = _csv_rows(browser.get(f"/progress/classes/{classroom.id}/gradebook.csv"))
    assert rows[0][2] == "Was the pact fair? (essay points)" and rows[1][2] == "7/10"


def test_names_are_escaped(login, teacher, student, classroom, make_quiz, take, db):
    """A student's name with markup is shown as text on the gradebook and mastery pages."""
    student.display_name = "<script>alert(1)</script>"
    db.session.commit()
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, RIGHT)
    browser = login(teacher)
    for page in (_gradebook(browser, classroom),
                 browser.get(f"/progress/classes/{classroom.id}/mastery").get_data(as_text=True)):
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_empty_class_and_class_without_quizzes_say_what_to_do(login, teacher, student, classroom, db):
    """No quizzes yet: the gradebook says how to fill it, and the exports still work."""
    browser = login(teacher)
    assert "No quizzes or essays set for this class yet" in _gradebook(browser, classroom)
    rows = _csv_rows(browser.get(f"/progress/classes/{classroom.id}/gradebook.csv"))
    assert rows == [["Student", "Email", "Average (%)", "Overdue"], ["Sam Student", "student@example.org", "", "0"]]
