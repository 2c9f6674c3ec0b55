"""Object access: every id-bearing route tried as the owner, a classmate, a student of another class,
the class's teacher, another teacher, the admin and a stranger, on a world with one of everything.

The feature matrices (tests/web/**) check each route's allowed outcomes on small worlds; this one adds
the classmate, runs against fully used objects (finished and graded attempts, graded essays, reviewed
cards), and checks that every refused request writes nothing.
"""

from __future__ import annotations

import pytest

from tests.access import LOGIN
from tests.attacks.conftest import PERSONAS, fill, routes

OK = None  # allowed: the feature's own matrix checks what happens then


def row(anonymous, student, classmate, other_student, teacher, other_teacher, admin) -> dict[str, int | None]:
    """Expected statuses in PERSONAS order; the student owns the objects and the teacher teaches them."""
    return dict(zip(PERSONAS, (anonymous, student, classmate, other_student, teacher, other_teacher, admin),
                    strict=True))


TEACHER_ONLY = row(LOGIN, 403, 403, 403, 200, 404, 404)
TEACHER_POST = row(LOGIN, 403, 403, 403, OK, 404, 404)
CLASS_PAGE = row(LOGIN, 200, 200, 404, 200, 404, 404)
OWNER_PAGE = row(LOGIN, 200, 404, 404, 404, 404, 404)
OWNER_POST = row(LOGIN, OK, 404, 404, 404, 404, 404)
ATTEMPT_PAGE = row(LOGIN, 200, 404, 404, 403, 403, 403)
ATTEMPT_POST = row(LOGIN, OK, 404, 404, 403, 403, 403)
STUDENTS_POST = row(LOGIN, OK, OK, 404, 403, 403, 403)

# (method, endpoint) -> statuses, for the objects of side "a" (see tests/attacks/conftest.py).
OBJECTS = {
    ("GET", "bank.unit"): TEACHER_ONLY, ("GET", "bank.edit_unit"): TEACHER_ONLY,
    ("GET", "bank.import_file"): TEACHER_ONLY, ("GET", "bank.questions"): TEACHER_ONLY,
    ("GET", "bank.new_question"): TEACHER_ONLY, ("GET", "bank.new_reading"): TEACHER_ONLY,
    ("GET", "bank.review_queue"): TEACHER_ONLY, ("GET", "bank.source"): TEACHER_ONLY,
    ("GET", "bank.question"): TEACHER_ONLY, ("GET", "bank.edit_question"): TEACHER_ONLY,
    ("POST", "bank.edit_unit"): TEACHER_POST, ("POST", "bank.copy_unit_view"): TEACHER_POST,
    ("POST", "bank.import_file"): TEACHER_POST, ("POST", "bank.new_question"): TEACHER_POST,
    ("POST", "bank.new_reading"): TEACHER_POST, ("POST", "bank.bulk_review"): TEACHER_POST,
    ("POST", "bank.generate"): TEACHER_POST, ("POST", "bank.delete_reading"): TEACHER_POST,
    ("POST", "bank.edit_question"): TEACHER_POST, ("POST", "bank.approve"): TEACHER_POST,
    ("POST", "bank.reject"): TEACHER_POST, ("POST", "bank.retire"): TEACHER_POST,
    ("POST", "bank.restore"): TEACHER_POST, ("POST", "bank.copy_question_view"): TEACHER_POST,

    ("GET", "classes.show"): CLASS_PAGE, ("GET", "classes.edit"): TEACHER_ONLY,
    ("POST", "classes.edit"): TEACHER_POST, ("POST", "classes.new_code"): TEACHER_POST,
    ("POST", "classes.joining"): TEACHER_POST, ("POST", "classes.add_teacher"): TEACHER_POST,
    ("POST", "classes.remove_student"): TEACHER_POST, ("POST", "classes.remove_teacher"): TEACHER_POST,
    ("POST", "classes.leave"): STUDENTS_POST,

    ("GET", "quizzes.show"): TEACHER_ONLY, ("GET", "quizzes.edit"): TEACHER_ONLY,
    ("GET", "quizzes.pick"): TEACHER_ONLY, ("GET", "quizzes.preview_quiz"): TEACHER_ONLY,
    ("GET", "quizzes.assignment"): CLASS_PAGE,
    ("GET", "quizzes.take"): ATTEMPT_PAGE, ("GET", "quizzes.confirm"): ATTEMPT_PAGE,
    ("GET", "quizzes.review"): row(LOGIN, 200, 404, 404, 200, 404, 404),
    # A reading opens to students from the quizzes they have taken that cite it: the classmate has taken none.
    ("GET", "quizzes.reading"): row(LOGIN, 200, 404, 404, 200, 404, 404),
    ("POST", "quizzes.edit"): TEACHER_POST, ("POST", "quizzes.pick"): TEACHER_POST,
    ("POST", "quizzes.move_question"): TEACHER_POST, ("POST", "quizzes.remove_question"): TEACHER_POST,
    ("POST", "quizzes.add_random"): TEACHER_POST, ("POST", "quizzes.remove_random"): TEACHER_POST,
    ("POST", "quizzes.assign_quiz"): TEACHER_POST, ("POST", "quizzes.unassign_quiz"): TEACHER_POST,
    ("POST", "quizzes.accommodate"): TEACHER_POST, ("POST", "quizzes.grade_slot"): TEACHER_POST,
    ("POST", "quizzes.rubric_grade_slot"): TEACHER_POST,
    ("POST", "quizzes.start"): STUDENTS_POST,
    ("POST", "quizzes.save_page"): ATTEMPT_POST, ("POST", "quizzes.autosave"): ATTEMPT_POST,
    ("POST", "quizzes.submit_attempt"): ATTEMPT_POST,

    ("GET", "practice.flashcards"): row(LOGIN, 200, 200, 404, 200, 404, 404),
    ("POST", "practice.flashcards"): row(LOGIN, OK, OK, 404, OK, 404, 404),
    ("GET", "practice.resume"): row(LOGIN, 302, 404, 404, 404, 404, 404),
    ("GET", "practice.question"): OWNER_PAGE, ("GET", "practice.summary"): OWNER_PAGE,
    ("GET", "practice.review_answer"): OWNER_PAGE,
    ("POST", "practice.question"): OWNER_POST, ("POST", "practice.finish"): OWNER_POST,
    ("POST", "practice.review_card"): OWNER_POST,

    ("GET", "debates.prompt"): TEACHER_ONLY, ("GET", "debates.edit_prompt"): TEACHER_ONLY,
    ("POST", "debates.edit_prompt"): TEACHER_POST, ("POST", "debates.copy"): TEACHER_POST,
    ("GET", "debates.class_work"): CLASS_PAGE, ("GET", "debates.assign"): TEACHER_ONLY,
    ("POST", "debates.assign"): TEACHER_POST, ("POST", "debates.delete"): TEACHER_POST,
    ("GET", "debates.live"): CLASS_PAGE, ("GET", "debates.live_state"): CLASS_PAGE,
    ("GET", "debates.projector"): TEACHER_ONLY,
    ("POST", "debates.control"): TEACHER_POST, ("POST", "debates.rounds"): TEACHER_POST,
    ("POST", "debates.sides"): TEACHER_POST, ("POST", "debates.speaker"): TEACHER_POST,
    ("POST", "debates.side"): STUDENTS_POST, ("POST", "debates.vote"): STUDENTS_POST,
    ("POST", "debates.queue"): STUDENTS_POST,

    ("GET", "discussions.thread"): CLASS_PAGE, ("GET", "discussions.reading"): CLASS_PAGE,
    ("GET", "discussions.activity_list"): TEACHER_ONLY,
    ("POST", "discussions.lock"): TEACHER_POST, ("POST", "discussions.moderate_post"): TEACHER_POST,
    ("POST", "discussions.create_post"): row(LOGIN, OK, OK, 404, OK, 404, 404),
    # The classmate and the teacher can see the post in the thread, so "not yours" (403) tells them nothing.
    ("GET", "discussions.edit"): row(LOGIN, 200, 403, 404, 403, 404, 404),
    ("POST", "discussions.edit"): row(LOGIN, OK, 403, 404, 403, 404, 404),
    ("POST", "discussions.delete"): row(LOGIN, OK, 403, 404, 403, 404, 404),
    ("POST", "discussions.vote_post"): STUDENTS_POST,

    ("GET", "essays.assignment"): CLASS_PAGE,
    ("POST", "essays.assignment"): row(LOGIN, OK, OK, 404, 403, 404, 404),
    ("POST", "essays.release"): TEACHER_POST,
    ("GET", "essays.grade"): TEACHER_ONLY, ("POST", "essays.grade"): TEACHER_POST,
    ("POST", "essays.reopen"): TEACHER_POST,
    ("GET", "essays.edit_rubric"): TEACHER_ONLY, ("POST", "essays.edit_rubric"): TEACHER_POST,

    ("GET", "progress.class_gradebook"): TEACHER_ONLY, ("GET", "progress.gradebook_as_csv"): TEACHER_ONLY,
    ("GET", "progress.gradebook_as_json"): TEACHER_ONLY, ("GET", "progress.grade"): TEACHER_ONLY,
    ("POST", "progress.grade"): TEACHER_POST, ("GET", "progress.items"): TEACHER_ONLY,
    ("GET", "progress.mastery"): TEACHER_ONLY, ("GET", "progress.cards"): TEACHER_ONLY,
    ("GET", "progress.student"): TEACHER_ONLY,
}


def id_bearing(app):
    """(method, rule) for every rule with an id in it."""
    return [(method, rule) for method in ("GET", "POST") for rule in routes(app, method) if "<int:" in rule.rule]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_object_page_answers_each_persona_as_expected(world, persona):
    """Each id-bearing page opens for those entitled to it and answers 403/404/login to everyone else."""
    browser = world.client(persona)
    wrong = []
    for method, rule in id_bearing(world.app):
        expected = OBJECTS.get((method, rule.endpoint), {}).get(persona)  # no row: the coverage test says so
        if method != "GET" or expected is None:
            continue
        path = fill(rule, world.a)
        response = browser.get(path)
        if response.status_code != expected:
            wrong.append(f"GET {path} ({rule.endpoint}): {response.status_code}, expected {expected}")
        if persona == "anonymous" and "/auth/login" not in response.location:
            wrong.append(f"GET {path}: sent to {response.location}, not the login page")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_refused_change_is_refused_and_writes_nothing(world, persona):
    """Each state-changing id-bearing route refuses the wrong people, with a valid token, and stores nothing."""
    browser = world.client(persona)
    before = world.counts()
    wrong = []
    for method, rule in id_bearing(world.app):
        expected = OBJECTS.get((method, rule.endpoint), {}).get(persona)
        if method != "POST" or expected is None:
            continue
        path = fill(rule, world.a)
        response = browser.post(path, data={"name": "x", "body": "x", "score": "1"})
        if response.status_code != expected:
            wrong.append(f"POST {path} ({rule.endpoint}): {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert world.counts() == before


def test_other_sides_objects_are_refused_to_the_whole_class(world):
    """Side b's objects, tried by everyone of side a, give 404 (or 403 for the wrong role), never a page."""
    for persona in ("student", "classmate", "teacher"):
        browser = world.client(persona)
        for method, rule in id_bearing(world.app):
            if method != "GET":
                continue
            path = fill(rule, world.b)
            assert browser.get(path).status_code in (403, 404), f"{path} as {persona}"


def test_every_id_bearing_route_has_a_row(world):
    """A new route with an id must be given its row here, so nobody forgets who may reach it."""
    missing = [f"{method} {rule.rule} ({rule.endpoint})" for method, rule in id_bearing(world.app)
               if (method, rule.endpoint) not in OBJECTS]
    assert not missing, "add rows to OBJECTS in tests/attacks/test_object_access.py:\n" + "\n".join(missing)
