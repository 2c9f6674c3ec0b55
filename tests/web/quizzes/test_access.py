"""Who may open which quiz page."""

from __future__ import annotations

import pytest

from quiz.quizzes.services import finish, start_attempt
from tests.access import AWAY, LOGIN, cases, check, row, uncovered

MATRIX = [
    ("GET", "/quizzes/", row(LOGIN, 200, 200, 200, 200)),
    ("GET", "/quizzes/new", row(LOGIN, 403, 403, 200, 200)),
    ("POST", "/quizzes/new", row(LOGIN, 403, 403, 422, 422)),
    ("GET", "/quizzes/{q}", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/quizzes/{q}/edit", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/quizzes/{q}/edit", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/quizzes/{q}/questions", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/quizzes/{q}/questions", row(LOGIN, 403, 403, 422, 404)),
    ("POST", "/quizzes/{q}/items/{i}/remove", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/{q}/items/{i}/move/down", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/{q}/rules", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/{q}/rules/{r}/remove", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/quizzes/{q}/preview", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/quizzes/{q}/assign", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/{q}/assignments/{a}/remove", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/quizzes/assignments/{a}", row(LOGIN, 200, 404, 200, 404)),
    ("POST", "/quizzes/assignments/{a}/accommodations", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/assignments/{a}/start", row(LOGIN, AWAY, 404, 403, 403)),
    ("GET", "/quizzes/attempts/{t}", row(LOGIN, 200, 404, 403, 403)),
    ("POST", "/quizzes/attempts/{t}", row(LOGIN, 303, 404, 403, 403)),
    ("POST", "/quizzes/attempts/{t}/slots/{s}", row(LOGIN, 200, 404, 403, 403)),
    ("GET", "/quizzes/attempts/{t}/finish", row(LOGIN, 200, 404, 403, 403)),
    ("POST", "/quizzes/attempts/{t}/submit", row(LOGIN, 303, 404, 403, 403)),
    ("GET", "/quizzes/attempts/{d}/review", row(LOGIN, 200, 404, 200, 404)),
    ("POST", "/quizzes/slots/{ds}/grade", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/quizzes/slots/{ds}/rubric/{rb}", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/quizzes/readings/{src}", row(LOGIN, 404, 404, 200, 404)),
]


@pytest.fixture
def objects(people, make_quiz, teacher, student, db):
    """A quiz with a random rule, set for the class, with one open and one finished attempt."""
    from quiz.bank.services import add_reading
    from quiz.quizzes.services import add_rule
    from tests.web.bank.conftest import ARTICLE

    quiz, assignment = make_quiz(attempts_allowed=2)
    rule = add_rule(quiz, teacher, count=1, types=["ordering"])
    done = start_attempt(assignment, student)
    finish(done)
    current = start_attempt(assignment, student)
    source = add_reading(quiz.items[0].question.unit, teacher, ARTICLE.encode(), "harbour.txt")
    from quiz.essays.services import standard_rubric

    rubric = standard_rubric(teacher)
    return {"rb": rubric.id, "q": quiz.id, "i": quiz.items[-1].id, "r": rule.id, "a": assignment.id, "t": current.id,
            "s": current.slots[0].id, "d": done.id, "ds": done.slots[0].id, "src": source.id}


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_quizzes_access_matrix(app, people, objects, method, url, persona, status):
    """Students reach only their own attempts; teachers only their own quizzes and classes."""
    check(app, people, method, url.format(**objects), persona, status)


def test_quizzes_matrix_covers_every_route(app):
    """Every quiz route has its row."""
    placeholders = {"q": "<int:quiz_id>", "i": "<int:item_id>", "r": "<int:rule_id>", "a": "<int:assignment_id>",
                    "t": "<int:attempt_id>", "s": "<int:slot_id>", "d": "<int:attempt_id>",
                    "ds": "<int:slot_id>", "src": "<int:source_id>", "rb": "<int:rubric_id>"}
    missing = uncovered(app, MATRIX, {"quizzes"}, placeholders)
    missing = [m for m in missing if "<any(up, down):direction>" not in m]
    assert missing == []
