"""Practice sessions and study cards: a student's own revision, never counted in grades.

These tables are separate from quiz attempts on purpose: nothing here reaches a gradebook.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.models import Question, Unit
from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db


class CardKind(StrEnum):
    QUESTION = "question"
    TERM = "term"


class ReviewSource(StrEnum):
    """Where an answer that moved a card's schedule came from."""

    PRACTICE = "practice"
    REVIEW = "review"
    FLASHCARDS = "flashcards"
    QUIZ = "quiz"


class PracticeSession(db.Model):
    """A practice run: its questions are fixed when it starts, answered one per page."""

    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    length: Mapped[int] = mapped_column(Integer)
    unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    items: Mapped[list[PracticeItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="PracticeItem.position")

    def __repr__(self) -> str:
        return f"<PracticeSession {self.id} of {self.user_id}>"

    @property
    def answered(self) -> list[PracticeItem]:
        return [item for item in self.items if item.answered_at is not None]

    @property
    def next_item(self) -> PracticeItem | None:
        """The first question not yet answered, or None when every one is."""
        return next((item for item in self.items if item.answered_at is None), None)

    @property
    def score(self) -> float:
        """Marks earned over the questions answered (partial credit counts in part)."""
        return sum(item.fraction or 0.0 for item in self.answered)


class PracticeItem(db.Model):
    """One question of a practice session, with the order its parts are shown in and the answer given."""

    __tablename__ = "practice_items"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    """1 for the first question."""
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    order: Mapped[dict] = mapped_column(JSON, default=dict)
    response: Mapped[object | None] = mapped_column(JSON)
    fraction: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[PracticeSession] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<PracticeItem {self.session_id}#{self.position} q{self.question_id}>"


class StudyCard(db.Model):
    """A student's spaced-repetition card: a bank question met, or a glossary term of a unit.

    ``state`` is the fsrs card (``fsrs.Card.to_dict()``); ``due`` repeats its due time as a column
    so the due cards are found with an index.
    """

    __tablename__ = "study_cards"
    __table_args__ = (
        UniqueConstraint("question_id", "user_id"),
        UniqueConstraint("unit_id", "term", "user_id"),
        CheckConstraint("(kind = 'question' AND question_id IS NOT NULL AND term IS NULL)"
                        " OR (kind = 'term' AND question_id IS NULL AND unit_id IS NOT NULL"
                        " AND term IS NOT NULL)", name="one_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    term: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    question: Mapped[Question | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    reviews: Mapped[list[CardReview]] = relationship(
        back_populates="card", cascade="all, delete-orphan", order_by="CardReview.id")

    def __repr__(self) -> str:
        what = f"q{self.question_id}" if self.kind == CardKind.QUESTION else f"{self.unit_id}:{self.term!r}"
        return f"<StudyCard {self.id} {what} due {self.due:%Y-%m-%d %H:%M}>"


class CardReview(db.Model):
    """One review of a card: the rating given to the scheduler, and where it came from."""

    __tablename__ = "card_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("study_cards.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    """fsrs's Rating: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    source: Mapped[str] = mapped_column(String(16))
    fraction: Mapped[float | None] = mapped_column(Float)
    response: Mapped[object | None] = mapped_column(JSON)
    order: Mapped[dict] = mapped_column(JSON, default=dict)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    card: Mapped[StudyCard] = relationship(back_populates="reviews")

    def __repr__(self) -> str:
        return f"<CardReview {self.card_id} rating {self.rating} from {self.source}>"
