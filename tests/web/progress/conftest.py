"""Fixtures for progress: the quizzes' bank, quiz maker and clock, and finished attempts."""

from __future__ import annotations

import pytest

from tests.web.quizzes.conftest import PLAIN, RIGHT, START, bank, clock, make_quiz  # noqa: F401

AUTO = ["multiple_choice", "true_false", "cloze", "numeric", "short_answer"]
"""The automatically graded types whose right answers ``RIGHT`` holds."""


@pytest.fixture
def take(db, clock):  # noqa: F811 - the quizzes' clock fixture, imported above
    """``take(assignment, student, answers)``: a finished attempt with ``{type: response}`` saved."""
    from quiz.quizzes.services import finish, save_answer, start_attempt

    def _take(assignment, student, answers: dict | None = None):
        attempt = start_attempt(assignment, student)
        for slot in attempt.slots:
            value = (answers or {}).get(slot.snapshot["type"])
            if value is not None:
                save_answer(attempt, slot.id, value)
        finish(attempt)
        db.session.refresh(attempt)
        return attempt

    return _take
