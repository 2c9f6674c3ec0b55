"""Practice pages: who may see them (every route, all six personas)."""

from __future__ import annotations

import pytest

from tests.access import AWAY, LOGIN, cases, check, row, uncovered

MATRIX = [
    ("GET", "/practice/", row(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/practice/sessions", row(LOGIN, 422, 422, 422, 422, 422)),
    ("GET", "/practice/sessions/{s}", row(LOGIN, AWAY, 404, 404, 404, 404)),
    ("GET", "/practice/sessions/{s}/questions/{p}", row(LOGIN, 200, 404, 404, 404, 404)),
    ("POST", "/practice/sessions/{s}/questions/{p}", row(LOGIN, 422, 404, 404, 404, 404)),
    ("GET", "/practice/sessions/{s}/summary", row(LOGIN, 200, 404, 404, 404, 404)),
    ("POST", "/practice/sessions/{s}/finish", row(LOGIN, AWAY, 404, 404, 404, 404)),
    ("GET", "/practice/review", row(LOGIN, 200, 200, 200, 200, 200)),
    ("POST", "/practice/review/cards/{c}", row(LOGIN, 422, 404, 404, 404, 404)),
    ("GET", "/practice/review/answers/{r}", row(LOGIN, 200, 404, 404, 404, 404)),
    ("GET", "/practice/flashcards/{u}", row(LOGIN, 200, 404, 200, 404, 404)),
    ("POST", "/practice/flashcards/{u}", row(LOGIN, 400, 404, 400, 404, 404)),
]


@pytest.fixture
def owned(people, unit, clock):
    """The student's session, a due question card and a review of it."""
    from quiz.practice.services import record_question_outcome, start_session

    session = start_session(people["student"], [unit.id], [], 5, clock.now())
    review = record_question_outcome(people["student"], unit.q["mcq"], 0.0, clock.now())
    clock.advance(hours=1)
    return {"s": session.id, "c": review.card_id, "r": review.id, "u": unit.id, "p": 1}


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_practice_access_matrix(app, people, owned, method, url, persona, status):
    """Everyone logged in practises; sessions, cards and reviews are their owner's alone; a unit's
    flashcards are for those who may read the unit."""
    check(app, people, method, url.format(**owned), persona, status)


def test_practice_matrix_covers_every_route(app):
    """Every practice route has its row."""
    placeholders = {"s": "<int:session_id>", "c": "<int:card_id>", "r": "<int:review_id>",
                    "u": "<int:unit_id>", "p": "<int:position>"}
    missing = uncovered(app, MATRIX, {"practice"}, placeholders)
    assert missing == []
