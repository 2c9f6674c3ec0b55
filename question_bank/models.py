"""The bank in the database: units, their sources and passages, questions and their history.

These map ``question_bank.model``'s plain types (Document, Passage, Question) onto tables. They are
the only part of ``question_bank`` that needs the web app's database handle; readings, units,
generation and formats stay free of Flask.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.model import Citation
from question_bank.model import Question as PlainQuestion
from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db


class SourceKind(StrEnum):
    READING = "reading"
    NOTES = "notes"
    GLOSSARY = "glossary"
    TIMELINE = "timeline"


class QuestionStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETIRED = "retired"


class QuestionOrigin(StrEnum):
    GENERATED = "generated"
    AUTHORED = "authored"
    IMPORTED = "imported"
    COPIED = "copied"


class Unit(db.Model):
    """A topic's collection of readings, notes and questions, owned by a teacher or by the site."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("owner_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(120), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    """None for the units shipped with Debrief, which every teacher may read and copy."""
    is_shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    source_list: Mapped[list] = mapped_column(JSON, default=list)
    """The articles the unit's notes draw on: id, publisher, author, date, title, url."""
    glossary: Mapped[list] = mapped_column(JSON, default=list)
    timeline: Mapped[list] = mapped_column(JSON, default=list)
    topic_pack: Mapped[dict] = mapped_column(JSON, default=dict)
    prompts: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User | None] = relationship()
    sources: Mapped[list[Source]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="Source.id")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.slug}>"

    def readable_by(self, user: User) -> bool:
        """Teachers read their own units and the shipped ones."""
        return user.is_teacher and (self.owner_id is None or self.owner_id == user.id)

    def editable_by(self, user: User) -> bool:
        """Only a unit's owner changes it; the shipped units are copied, not edited."""
        return self.owner_id is not None and self.owner_id == user.id


class Source(db.Model):
    """A document of a unit: an imported reading, or the unit's own notes, glossary or timeline."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("unit_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=SourceKind.READING)
    name: Mapped[str] = mapped_column(String(255))
    """The file name, as the generator's citations name it."""
    title: Mapped[str] = mapped_column(String(300), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[str] = mapped_column(String(10), default="")
    """An ISO date or a partial one (``2024-06``), as the reading gives it."""
    url: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(back_populates="sources")
    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="Passage.index")

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.name}>"


class Passage(db.Model):
    """A paragraph of a source; ``text == source.text[start:end]``."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("source_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    heading: Mapped[str] = mapped_column(String(300), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    source_refs: Mapped[list] = mapped_column(JSON, default=list)
    """For a unit's notes: ids of the articles (in the unit's source list) the paragraph draws on."""

    source: Mapped[Source] = relationship(back_populates="passages")

    def __repr__(self) -> str:
        return f"<Passage {self.source_id}#{self.index}>"


class Question(db.Model):
    """A question in the bank: generated, authored or imported; only approved ones reach quizzes."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    stem: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    """Type-specific parts: choices, accepted, pairs, items, tolerance, unit, feedback, title."""
    explanation: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[float] = mapped_column(Float, default=0.5)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.DRAFT, index=True)
    origin: Mapped[str] = mapped_column(String(16), default=QuestionOrigin.AUTHORED)
    fingerprint: Mapped[str] = mapped_column(String(40), default="", index=True)
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"),
                                                   index=True)
    citation: Mapped[dict | None] = mapped_column(JSON)
    """The cited span as text (document, title, passage, start, end): it outlives a deleted reading."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    passage: Mapped[Passage | None] = relationship()
    tag_rows: Mapped[list[QuestionTag]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionTag.tag")
    events: Mapped[list[QuestionEvent]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionEvent.id")

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.type} {self.status}>"

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @tags.setter
    def tags(self, values: list[str]) -> None:
        wanted = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
        self.tag_rows = [row for row in self.tag_rows if row.tag in wanted]
        have = {row.tag for row in self.tag_rows}
        self.tag_rows.extend(QuestionTag(tag=tag[:60]) for tag in wanted if tag not in have)

    def to_plain(self) -> PlainQuestion:
        """This question as ``question_bank.model.Question`` (for export, grading and rendering)."""
        data = self.data or {}
        citation = Citation(**self.citation) if self.citation else None
        return PlainQuestion(
            type=self.type, stem=self.stem, answer=self.answer, choices=list(data.get("choices", [])),
            accepted=list(data.get("accepted", [])), pairs=[tuple(p) for p in data.get("pairs", [])],
            items=list(data.get("items", [])), explanation=self.explanation, source=citation,
            tags=self.tags, difficulty=self.difficulty, confidence=self.confidence,
            tolerance=float(data.get("tolerance", 0.0)), unit=data.get("unit", ""),
            title=data.get("title", ""), feedback=dict(data.get("feedback", {})),
            id=self.fingerprint or "")

    def set_from_plain(self, question: PlainQuestion) -> None:
        """Copy a plain question's content onto this row (the caller records the event)."""
        self.type, self.stem, self.answer = question.type, question.stem, question.answer
        self.data = {key: value for key, value in {
            "choices": list(question.choices), "accepted": list(question.accepted),
            "pairs": [list(p) for p in question.pairs], "items": list(question.items),
            "tolerance": question.tolerance, "unit": question.unit, "title": question.title,
            "feedback": dict(question.feedback)}.items() if value}
        self.explanation = question.explanation
        self.difficulty, self.confidence = question.difficulty, question.confidence
        self.fingerprint = question.fingerprint()
        self.citation = vars(question.source).copy() if question.source else None
        self.tags = question.tags


class QuestionTag(db.Model):
    """A topic tag on a question (a row each, so the bank can filter and count by tag)."""

    __tablename__ = "question_tags"
    __table_args__ = (UniqueConstraint("question_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(60), index=True)

    question: Mapped[Question] = relationship(back_populates="tag_rows")

    def __repr__(self) -> str:
        return f"<QuestionTag {self.question_id} {self.tag}>"


class QuestionEvent(db.Model):
    """What happened to a question and who did it: generated, edited, approved, rejected...

    Kept with every question: the teachers' decisions are the data a better ranker learns from.
    """

    __tablename__ = "question_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<QuestionEvent {self.question_id} {self.action}>"
