"""Fixtures for debates, discussions and essays: a unit with a reading, a prompt, and its assignments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

ARTICLE = """Harbour Pact Signed

Published 3 March 2025

By Ana Reyes

The governments of Norway and Chile signed a fisheries agreement in Oslo on 3 March 2025. The
Norwegian Prime Minister said the pact would protect salmon stocks.

Under the agreement, Chile will receive up to 40 research vessels over five years. Officials said
more than 2,000 scientists would take part in joint surveys.

The European Union welcomed the deal, while Greenpeace warned that quotas remained too high.
"""


class Clock:
    """A controllable clock: services read ``quiz.clock.now``, which this replaces."""

    def __init__(self) -> None:
        self.current = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Time stands still until the test moves it."""
    fake = Clock()
    monkeypatch.setattr("quiz.clock.now", fake)
    return fake


@pytest.fixture
def unit(teacher, db):
    """The teacher's unit with one reading."""
    from question_bank.models import Unit
    from quiz.bank.services import add_reading

    unit = Unit(slug="fisheries", title="Fisheries diplomacy", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    add_reading(unit, teacher, ARTICLE.encode(), "harbour-pact.txt")
    return unit


@pytest.fixture
def other_unit(other_teacher, db):
    """Another teacher's private unit with its own reading."""
    from question_bank.models import Unit
    from quiz.bank.services import add_reading

    unit = Unit(slug="private", title="Private unit", owner=other_teacher)
    db.session.add(unit)
    db.session.commit()
    add_reading(unit, other_teacher, ARTICLE.replace("Oslo", "Bergen").encode(), "private.txt")
    return unit


@pytest.fixture
def prompt(unit, teacher, db):
    """The teacher's prompt on the unit, with one suggested passage."""
    from quiz.debates.services import save_prompt

    return save_prompt(None, teacher, unit, title="Is the pact fair?",
                       question="Is the fisheries pact fair to Chile?",
                       framing="Chile receives vessels; critics say the deal favours Norway.",
                       positions=[{"stance": "for", "summary": "Chile gains ships."},
                                  {"stance": "against", "summary": "Quotas are too high."}],
                       evidence=[{"source": "", "quote_hint": "40 research vessels"}])


def _assign(classroom, teacher, prompt, kind, **options):
    from quiz.debates.services import assign_prompt

    return assign_prompt(classroom, teacher, prompt, kind, **options)


@pytest.fixture
def discussion(classroom, teacher, prompt, clock):
    """The prompt set to the teacher's class as a discussion with targets."""
    return _assign(classroom, teacher, prompt, "discussion", target_posts=1, target_cited_posts=1,
                   target_replies=1)


@pytest.fixture
def essay_assignment(classroom, teacher, prompt, clock):
    """The prompt set to the teacher's class as an essay (standard rubric)."""
    return _assign(classroom, teacher, prompt, "essay")


@pytest.fixture
def debate(classroom, teacher, prompt, clock):
    """The prompt set to the teacher's class as a live debate."""
    return _assign(classroom, teacher, prompt, "debate")


@pytest.fixture
def passages(unit):
    """The unit's reading's passages."""
    return list(unit.sources[0].passages)


@pytest.fixture
def world(people, db, teacher, student, prompt, discussion, essay_assignment, debate, passages):
    """Something of everything: a post, a submitted essay, a rubric, a queued speaker."""
    from quiz.debates.services import request_to_speak
    from quiz.discussions.services import add_post
    from quiz.essays.services import STANDARD_RUBRIC, save_essay, save_rubric

    post = add_post(discussion, student, "Chile gains ships.", "for", [passages[1].id])
    essay = save_essay(essay_assignment, student, "Chile gains forty ships, which is fair.", submit=True)
    rubric = save_rubric(None, teacher, "Short rubric", STANDARD_RUBRIC)
    speaker = request_to_speak(debate.live, student)
    return {**people, "prompt": prompt, "discussion": discussion, "essay_assignment": essay_assignment,
            "debate": debate, "post": post, "essay": essay, "rubric": rubric, "speaker": speaker,
            "source": passages[0].source}
