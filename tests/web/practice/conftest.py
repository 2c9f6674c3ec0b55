"""Fixtures for practice: units with approved questions of every type, and a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

PASSAGE = ("The governments of Norway and Chile signed a fisheries agreement in Oslo on 3 March 2025. "
           "Chile will receive up to 40 research vessels over five years.")
GLOSSARY = [
    {"term": "Ratification", "definition": "The formal step by which a state confirms a treaty binds it.",
     "aliases": ["ratify"], "sources": [], "tags": []},
    {"term": "Decree", "definition": "An order issued directly by a leader with the force of law.",
     "aliases": [], "sources": [], "tags": []},
]


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    """``quiz.clock.now`` under the test's control, starting at 10:00 UTC on 2 March 2026."""
    from quiz import clock as app_clock

    fake = Clock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    monkeypatch.setattr(app_clock, "now", fake.now)
    return fake


def add_question(unit, plain, *, status="approved", tags=(), passage=None):
    """Store a plain question in ``unit`` with the given status and tags (committed)."""
    from question_bank.model import Citation
    from question_bank.models import Question
    from quiz.extensions import db

    if passage is not None and plain.source is None:
        plain.source = Citation(document=passage.source.name, title=passage.source.title,
                                passage=passage.text, start=passage.start, end=passage.end)
    plain.tags = list(tags)
    row = Question(unit=unit, owner_id=unit.owner_id, status=status, passage=passage)
    row.set_from_plain(plain)
    db.session.add(row)
    db.session.commit()
    return row


def make_unit(owner, slug: str, title: str, *, glossary=()):
    """A unit with one reading of one passage (committed)."""
    from question_bank.models import Passage, Source, Unit
    from quiz.extensions import db

    unit = Unit(slug=slug, title=title, owner=owner, glossary=list(glossary))
    source = Source(unit=unit, name=f"{slug}.txt", title="Harbour Pact Signed", publisher="Nordic Times",
                    url="https://example.org/harbour-pact", text=PASSAGE, content_hash=slug)
    source.passages.append(Passage(index=0, start=0, end=len(PASSAGE), text=PASSAGE))
    db.session.add(unit)
    db.session.commit()
    return unit


@pytest.fixture
def unit(teacher, db):
    """The teacher's unit: approved questions of six types, an approved essay, a draft, a glossary."""
    from question_bank.model import Question as Plain

    unit = make_unit(teacher, "fisheries", "Fisheries diplomacy", glossary=GLOSSARY)
    passage = unit.sources[0].passages[0]
    questions = {
        "mcq": add_question(unit, Plain(
            type="multiple_choice", stem="Where was the agreement signed?", answer="Oslo",
            choices=["Oslo", "Santiago", "Bergen", "Lima"], explanation="The pact was signed in Oslo.",
            feedback={"Santiago": "Santiago is Chile's capital, not where it was signed."}),
            tags=["signing"], passage=passage),
        "tf": add_question(unit, Plain(type="true_false", stem="Chile will receive research vessels.",
                                       answer="true"), tags=["vessels"], passage=passage),
        "numeric": add_question(unit, Plain(type="numeric", stem="How many research vessels?", answer="40",
                                            unit="vessels"), tags=["vessels"], passage=passage),
        "matching": add_question(unit, Plain(
            type="matching", stem="Match each country to its role.",
            pairs=[("Norway", "host"), ("Chile", "recipient")]), tags=["signing"]),
        "ordering": add_question(unit, Plain(
            type="ordering", stem="Put these in order.", items=["first", "second", "third"])),
        "short": add_question(unit, Plain(type="short_answer", stem="Which city hosted the signing?",
                                          answer="Oslo"), passage=passage),
        "essay": add_question(unit, Plain(type="essay", stem="Discuss the pact."), tags=["signing"]),
        "draft": add_question(unit, Plain(type="true_false", stem="A draft.", answer="false"),
                              status="draft", tags=["signing"]),
    }
    unit.q = questions
    return unit


@pytest.fixture
def other_unit(other_teacher, db):
    """The other teacher's private unit with one approved question and a glossary."""
    from question_bank.model import Question as Plain

    unit = make_unit(other_teacher, "private", "Private unit", glossary=GLOSSARY[:1])
    unit.q = {"mcq": add_question(unit, Plain(type="true_false", stem="Private question?", answer="true"),
                                  tags=["secret"])}
    return unit


@pytest.fixture
def shipped(db):
    """A shipped unit (no owner) with one approved question."""
    from question_bank.model import Question as Plain

    unit = make_unit(None, "shipped", "Shipped unit")
    unit.q = {"tf": add_question(unit, Plain(type="true_false", stem="Shipped question?", answer="false"))}
    return unit
