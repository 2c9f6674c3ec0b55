"""Who may open each progress page: a student only their own progress, a teacher only their classes."""

from __future__ import annotations

import pytest

from tests.access import LOGIN, cases, check, row, uncovered
from tests.web.progress.conftest import AUTO, RIGHT

# {c} is the teacher's class, {a} a quiz assigned to it, {s} its student (who has finished the quiz).
# Students get 403 on every teacher's page; another teacher (and the admin, in no class) gets 404.
MATRIX = [
    ("GET", "/progress/", row(LOGIN, 200, 200, 200, 200, 200)),
    ("GET", "/progress/classes/{c}/gradebook", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/classes/{c}/gradebook.csv", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/classes/{c}/gradebook.json", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/classes/{c}/mastery", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/classes/{c}/cards", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/classes/{c}/students/{s}", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/assignments/{a}/items", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/progress/assignments/{a}/students/{s}", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/progress/assignments/{a}/students/{s}", row(LOGIN, 403, 403, 422, 404)),  # no reason given
]


@pytest.fixture
def setting(people, make_quiz, take):
    """The teacher's quiz, assigned to their class and finished by its student."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, people["student"], RIGHT)
    return {"c": people["classroom"].id, "a": assignment.id, "s": people["student"].id}


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_progress_access_matrix(app, people, setting, method, url, persona, status):
    """Each progress route answers each persona as the matrix says."""
    check(app, people, method, url.format(**setting), persona, status)


def test_progress_matrix_covers_every_route(app):
    """Every progress route has its row."""
    placeholders = {"c": "<int:class_id>", "a": "<int:assignment_id>", "s": "<int:student_id>"}
    assert uncovered(app, MATRIX, {"progress"}, placeholders) == []


def test_a_student_outside_the_class_has_no_pages_there(login, people, setting):
    """A teacher asking for a student who is not in the class gets 404, even for a real student."""
    browser, other = login(people["teacher"]), people["other_student"].id
    assert browser.get(f"/progress/assignments/{setting['a']}/students/{other}").status_code == 404
    assert browser.get(f"/progress/classes/{setting['c']}/students/{other}").status_code == 404


def test_a_co_teacher_sees_the_gradebook(login, people, setting, db):
    """Teachers added to the class see its reports like the owner does."""
    from quiz.classes.models import MemberRole, Membership

    db.session.add(Membership(classroom_id=setting["c"], user_id=people["other_teacher"].id,
                              role=MemberRole.TEACHER))
    db.session.commit()
    page = login(people["other_teacher"]).get(f"/progress/classes/{setting['c']}/gradebook")
    assert page.status_code == 200 and "Sam Student" in page.get_data(as_text=True)


def test_a_student_sees_only_their_own_progress(login, people, setting):
    """The other student's progress page shows none of the student's quiz or scores."""
    page = login(people["other_student"]).get("/progress/").get_data(as_text=True)
    assert "Fisheries check" not in page and "You have not finished a quiz yet" in page
    own = login(people["student"]).get("/progress/").get_data(as_text=True)
    assert "Fisheries check" in own
