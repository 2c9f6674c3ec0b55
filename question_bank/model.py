"""Plain data types shared by readings, units, generation and the import/export formats.

Nothing here imports Flask or a database: the web app maps these onto its own models.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

QUESTION_TYPES = (
    "multiple_choice",
    "true_false",
    "cloze",
    "numeric",
    "matching",
    "ordering",
    "short_answer",
    "essay",
)
"""Every type the bank stores. The generator makes all but ``essay``; GIFT can import essays."""


def content_hash(text: str) -> str:
    """The SHA-256 of a text, used to notice the same reading added twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Passage:
    """A paragraph of a document; ``text == document.text[start:end]`` always holds."""

    index: int
    text: str
    start: int
    end: int
    heading: str = ""
    sources: tuple[str, ...] = ()
    """For a unit's own notes: ids of the articles (see the unit's sources) the paragraph draws on."""


@dataclass
class Document:
    """A text split into passages: an imported reading, or one part of a unit (notes, glossary...)."""

    name: str
    """File name, e.g. ``polis-ratification-2024-11-24.txt``; unique within a unit."""
    text: str
    passages: list[Passage] = field(default_factory=list)
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""
    """ISO date, or a partial one (``2024-06``, ``2024``), or empty when unknown."""
    url: str = ""
    kind: str = "reading"
    """``reading`` for an article; ``notes``, ``glossary`` or ``timeline`` for a unit's own text."""

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass
class Citation:
    """Where a question's answer is proved: an exact span of a document's stored text."""

    document: str
    title: str
    passage: str
    start: int
    end: int


@dataclass
class Question:
    """One question as the generator makes it and the formats read and write it.

    ``answer`` is the correct text. For ``multiple_choice`` it is one of ``choices``; for
    ``true_false`` it is ``"true"`` or ``"false"``; for ``numeric`` a number written as text, with
    ``tolerance`` and ``unit``; for ``matching`` the pairs are in ``pairs`` (term, definition) and
    ``answer`` is empty; for ``ordering`` ``items`` holds the correct order and ``answer`` is empty.
    """

    type: str
    stem: str
    answer: str = ""
    choices: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    explanation: str = ""
    source: Citation | None = None
    tags: list[str] = field(default_factory=list)
    difficulty: float = 0.5
    """0 (easy) to 1 (hard): an estimate."""
    confidence: float = 1.0
    """0 to 1: how sure the generator is that the question is sound (1 for hand-written ones)."""
    tolerance: float = 0.0
    unit: str = ""
    title: str = ""
    """An optional short name (GIFT's ``::name::``)."""
    feedback: dict[str, str] = field(default_factory=dict)
    """Per-choice feedback, keyed by the choice text (GIFT's ``#`` after an answer)."""
    id: str = ""

    def __post_init__(self) -> None:
        if self.type not in QUESTION_TYPES:
            raise ValueError(f"unknown question type {self.type!r}")
        self.pairs = [tuple(pair) for pair in self.pairs]
        if not self.id:
            self.id = self.fingerprint()

    def fingerprint(self) -> str:
        """A stable id from what the question asks and answers."""
        key = "\x1f".join([self.type, self.stem, self.answer, *self.items,
                           *(f"{a}\x1e{b}" for a, b in self.pairs)])
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id, not security

    def to_dict(self) -> dict:
        """The JSON shape of the ``generate`` contract (see the README)."""
        data = asdict(self)
        data["pairs"] = [list(pair) for pair in self.pairs]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """A question back from :meth:`to_dict`'s shape (trusted data, such as a stored snapshot)."""
        fields = dict(data)
        source = fields.pop("source", None)
        return cls(**fields, source=Citation(**source) if source else None)
