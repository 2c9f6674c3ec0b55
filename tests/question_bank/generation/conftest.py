"""Small hand-made inputs for the generator tests: an article of our own and a topic pack."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from question_bank.readings import read_text

# A short news article written for these tests (any resemblance to a real event is loose).
RIVER_ARTICLE = """River treaty signed

Published 4 March 2023

On 4 March 2023, Norwegian Prime Minister Anna Berg and Chilean President Luis Ortega \
signed a water-sharing treaty in Oslo.

The agreement commits both governments to report every new dam to a joint commission within 90 days.

Officials said that up to 5,000 engineers could be hired to monitor the rivers over the next decade.

It was described by both leaders as a model for other regions.

Chile reportedly spent more than 40 million dollars on the negotiations, according to the finance ministry.

The World Bank will fund the commission, while the United Nations will host its archive in Geneva.

Critics in Peru and Argentina said the deal ignored downstream farmers.

History of the talks

In 1998, Chile and Norway first discussed joint research on glaciers.

The two countries opened embassies in each other's capitals in 2005.

In 2016, scientists from both countries mapped the glaciers of the southern Andes.

In June 2021, negotiators agreed on a draft text in Santiago.

Norwegian Foreign Minister Erik Dahl said the treaty would outlast any single government.

Key Terms

Water-sharing treaty: An agreement that divides the use of a river's water between states.

Joint commission: A body with members from each side that checks the treaty is kept.

Downstream: The part of a river nearer its mouth, which receives water after others use it.

Glacier: A slow river of ice that feeds many rivers in dry seasons.
"""


@dataclass
class Entity:
    """A topic-pack entity, shaped like ``question_bank.units.Entity``."""

    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Pack:
    """A minimal topic pack with the API the generator uses."""

    entities: list[Entity]
    pairs: set[frozenset[str]] = field(default_factory=set)

    def of_kind(self, kind):
        """Entities of one kind."""
        return [e for e in self.entities if e.kind == kind]

    def find(self, name):
        """The entity with this name or alias."""
        for entity in self.entities:
            if name == entity.name or name in entity.aliases:
                return entity
        return None

    def conflicts_with(self, a, b, text=""):
        """True for the pairs the test declares."""
        return frozenset((a, b)) in self.pairs


@pytest.fixture
def river_doc():
    """The hand-written article as a reading."""
    return read_text(RIVER_ARTICLE, "river-treaty.txt")
