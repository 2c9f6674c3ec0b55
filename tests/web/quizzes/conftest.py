"""Fixtures for quizzes: approved questions of every type, a quiz built from them, and a movable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from question_bank.model import Question as PlainQuestion

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

PLAIN = [
    PlainQuestion(type="multiple_choice", stem="Where was the pact signed?", answer="Oslo",
                  choices=["Oslo", "Bergen", "Santiago", "Lima"], explanation="It was signed in Oslo.",
                  tags=["signing"]),
    PlainQuestion(type="true_false", stem="Chile will receive up to 40 research vessels.", answer="true",
                  tags=["terms"]),
    PlainQuestion(type="cloze", stem="The pact was signed on 3 March _____.", answer="2025",
                  accepted=["2025"], tags=["signing"]),
    PlainQuestion(type="numeric", stem="How many scientists, more than?", answer="2000", tolerance=0,
                  unit="scientists", tags=["terms"]),
    PlainQuestion(type="matching", stem="Match each party to its role.",
                  pairs=[("Norway", "host"), ("Chile", "partner"), ("Greenpeace", "critic")], tags=["reactions"]),
    PlainQuestion(type="ordering", stem="Put these in order.", items=["1990", "2005", "2020", "2025"],
                  tags=["background"]),
    PlainQuestion(type="short_answer", stem="Which organisation welcomed the deal?", answer="European Union",
                  accepted=["EU"], tags=["reactions"]),
    PlainQuestion(type="essay", stem="Was the pact fair to Chile?", tags=["reactions"]),
]
RIGHT = {
    "multiple_choice": "Oslo", "true_false": "true", "cloze": "2025", "numeric": "2,000",
    "short_answer": "the EU",
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Freeze the app's clock at START; ``clock.advance(minutes=5)`` moves it."""
    from quiz import clock as app_clock

    fake = Clock(START)
    monkeypatch.setattr(app_clock, "now", fake)
    return fake


@pytest.fixture
def bank(teacher, db):
    """A unit of the teacher's with one approved question of each type, in PLAIN order."""
    from question_bank.models import QuestionStatus, Unit
    from quiz.bank.services import store_question

    unit = Unit(slug="fisheries", title="Fisheries diplomacy", owner=teacher)
    db.session.add(unit)
    questions = [store_question(unit, plain, owner=teacher, origin="authored", status=QuestionStatus.APPROVED)
                 for plain in PLAIN]
    db.session.commit()
    return questions


@pytest.fixture
def make_quiz(teacher, classroom, bank, db, clock):
    """``make_quiz(**settings)``: a quiz of the bank's questions, assigned to ``classroom``."""
    from quiz.quizzes.services import add_questions, assign, create_quiz

    def _make(types=None, assignment_dates=(None, None), **settings):
        settings.setdefault("title", "Fisheries check")
        settings.setdefault("questions_per_page", 3)
        settings.setdefault("shuffle_choices", False)
        quiz = create_quiz(teacher, **settings)
        chosen = [q.id for q in bank if types is None or q.type in types]
        add_questions(quiz, teacher, chosen)
        assignment = assign(quiz, teacher, classroom, *assignment_dates)
        return quiz, assignment

    return _make
