"""Fixtures for the bank: a teacher's small unit with one reading and its generated questions."""

from __future__ import annotations

import pytest

ARTICLE = """Harbour Pact Signed

Published 3 March 2025

By Ana Reyes

The governments of Norway and Chile signed a fisheries agreement in Oslo on 3 March 2025. The
Norwegian Prime Minister Jonas Gahr Store said the pact would protect salmon stocks.

Under the agreement, Chile will receive up to 40 research vessels over five years. Officials said
more than 2,000 scientists would take part in joint surveys.

The European Union welcomed the deal, while Greenpeace warned that quotas remained too high.
Critics in Santiago reportedly argued the agreement favoured Norway.
"""


@pytest.fixture
def unit(teacher, db):
    """A unit owned by ``teacher`` with one reading and its generated questions."""
    from question_bank.models import Unit
    from quiz.bank.services import add_reading, generate_into_bank

    unit = Unit(slug="fisheries", title="Fisheries diplomacy", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    add_reading(unit, teacher, ARTICLE.encode(), "harbour-pact.txt")
    generate_into_bank(unit, teacher, seed=1)
    return unit


@pytest.fixture
def other_unit(other_teacher, db):
    """A unit owned by ``other_teacher``."""
    from question_bank.models import Unit
    from quiz.bank.services import add_reading

    unit = Unit(slug="private", title="Private unit", owner=other_teacher)
    db.session.add(unit)
    db.session.commit()
    add_reading(unit, other_teacher, ARTICLE.replace("Oslo", "Bergen").encode(), "private.txt")
    return unit


def make_question(unit, qtype: str = "multiple_choice", *, status: str = "draft", passage=None, **fields):
    """Store a hand-made question of ``qtype`` in ``unit`` (committed), citing ``passage`` if given."""
    from question_bank.model import Question as PlainQuestion
    from question_bank.models import QuestionOrigin
    from quiz.bank.services import citation_for, store_question
    from quiz.extensions import db

    values = {**SAMPLES[qtype], **fields}
    plain = PlainQuestion(type=qtype, **values)
    if passage is not None:
        plain.source = citation_for(passage)
    question = store_question(unit, plain, owner=unit.owner, origin=QuestionOrigin.AUTHORED, status=status)
    question.passage = passage
    db.session.commit()
    return question


SAMPLES = {
    "multiple_choice": {"stem": "Where was the pact signed?", "answer": "Oslo",
                        "choices": ["Oslo", "Bergen", "Santiago", "Lima"]},
    "true_false": {"stem": "Chile will receive research vessels.", "answer": "true"},
    "cloze": {"stem": "The pact was signed in _____ on 3 March.", "answer": "Oslo",
              "accepted": ["Oslo", "oslo city"]},
    "numeric": {"stem": "How many research vessels at most?", "answer": "40", "tolerance": 2.0,
                "unit": "vessels"},
    "matching": {"stem": "Match each party to its view.",
                 "pairs": [("European Union", "welcomed the deal"), ("Greenpeace", "warned about quotas")]},
    "ordering": {"stem": "Put these in order.", "items": ["Talks", "Signing", "Surveys"]},
    "short_answer": {"stem": "Which city hosted the signing?", "answer": "Oslo",
                     "accepted": ["Oslo", "Christiania"]},
    "essay": {"stem": "Was the pact fair to Chile? Argue from the reading.", "answer": "Weigh both sides."},
}
"""One sound question of every type, about the fixture article."""


@pytest.fixture
def small_unit(teacher, db):
    """``teacher``'s unit: one reading, one draft question citing its first passage (nothing generated)."""
    from question_bank.models import Unit
    from quiz.bank.services import add_reading

    unit = Unit(slug="small", title="Small unit", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    source = add_reading(unit, teacher, ARTICLE.encode(), "harbour-pact.txt")
    make_question(unit, passage=source.passages[0])
    return unit


@pytest.fixture
def shipped(db):
    """A unit that ships with Debrief (no owner), with a reading and an approved question."""
    from question_bank.models import Unit
    from question_bank.readings import read_text
    from quiz.bank.services import add_document

    unit = Unit(slug="shipped", title="Shipped unit", owner=None, is_shipped=True)
    db.session.add(unit)
    db.session.flush()
    source = add_document(unit, read_text(ARTICLE, "harbour-pact.txt"))
    db.session.commit()
    make_question(unit, status="approved", passage=source.passages[0])
    return unit
