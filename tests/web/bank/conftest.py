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
