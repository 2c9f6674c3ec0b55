"""Prompts, their assignment to classes, and live classroom debates."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.models import Passage, Unit
from quiz.auth.models import User
from quiz.classes.models import JOIN_CODE_ALPHABET, Classroom
from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db

if TYPE_CHECKING:
    from quiz.essays.models import Rubric

DEFAULT_ROUNDS = [
    {"name": "Opening statements", "seconds": 180},
    {"name": "Rebuttals", "seconds": 120},
    {"name": "Closing statements", "seconds": 90},
]


class AssignmentKind(StrEnum):
    DISCUSSION = "discussion"
    ESSAY = "essay"
    DEBATE = "debate"


class Side(StrEnum):
    FOR = "for"
    AGAINST = "against"
    UNDECIDED = "undecided"


class Prompt(db.Model):
    """A debate or essay question of a unit, with framing, positions and suggested evidence."""

    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    """None for the prompts shipped with a unit, which every teacher may read and assign."""
    slug: Mapped[str] = mapped_column(String(80), default="")
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    framing: Mapped[str] = mapped_column(Text, default="")
    positions: Mapped[list] = mapped_column(JSON, default=list)
    """Each ``{"stance": "for" | "against" | "other", "summary": ...}``."""
    tags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    owner: Mapped[User | None] = relationship()
    evidence: Mapped[list[PromptEvidence]] = relationship(
        back_populates="prompt", cascade="all, delete-orphan", order_by="PromptEvidence.position")

    def __repr__(self) -> str:
        return f"<Prompt {self.id} {self.title!r}>"

    def readable_by(self, user: User) -> bool:
        """Teachers read the shipped prompts of units they can read, and their own prompts."""
        if not user.is_teacher or not self.unit.readable_by(user):
            return False
        return self.owner_id is None or self.owner_id == user.id

    def editable_by(self, user: User) -> bool:
        """Only a prompt's owner changes it; shipped prompts are read-only."""
        return self.owner_id is not None and self.owner_id == user.id


class PromptEvidence(db.Model):
    """A suggested passage for a prompt: the article, a short exact phrase, and the passage it is in."""

    __tablename__ = "prompt_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_ref: Mapped[str] = mapped_column(String(40), default="")
    """The article's id in the unit's source list (``insight``, ``polis``...)."""
    quote_hint: Mapped[str] = mapped_column(Text, default="")
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"))
    """The reading's passage holding the phrase, when the reading is stored."""

    prompt: Mapped[Prompt] = relationship(back_populates="evidence")
    passage: Mapped[Passage | None] = relationship()

    def __repr__(self) -> str:
        return f"<PromptEvidence {self.prompt_id} {self.source_ref}>"


class PromptAssignment(db.Model):
    """A prompt set to a class as a discussion thread, an essay or a live debate."""

    __tablename__ = "prompt_assignments"
    __table_args__ = (UniqueConstraint("classroom_id", "prompt_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    instructions: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    """A locked discussion takes no new posts, replies or votes."""
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    """Classmates see aliases instead of names; the teachers always see names."""
    target_posts: Mapped[int] = mapped_column(Integer, default=0)
    target_cited_posts: Mapped[int] = mapped_column(Integer, default=0)
    target_replies: Mapped[int] = mapped_column(Integer, default=0)
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id", ondelete="SET NULL"))
    min_words: Mapped[int] = mapped_column(Integer, default=0)

    classroom: Mapped[Classroom] = relationship()
    prompt: Mapped[Prompt] = relationship()
    created_by: Mapped[User | None] = relationship()
    rubric: Mapped[Rubric | None] = relationship()
    live: Mapped[LiveDebate | None] = relationship(back_populates="assignment", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<PromptAssignment {self.id} {self.kind} of prompt {self.prompt_id} to {self.classroom_id}>"

    @property
    def has_targets(self) -> bool:
        return bool(self.target_posts or self.target_cited_posts or self.target_replies)


def new_debate_code() -> str:
    """A short code students type to join a live debate."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))


class DebateStatus(StrEnum):
    LOBBY = "lobby"
    """Students join, take sides and cast their vote before the debate."""
    RUNNING = "running"
    VOTING = "voting"
    """The rounds are over: the audience votes again."""
    FINISHED = "finished"


class LiveDebate(db.Model):
    """The live session of a debate assignment: rounds, a timer, a speaking queue and two votes.

    Everything lives in these rows so any web worker can answer any screen.
    """

    __tablename__ = "live_debates"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("prompt_assignments.id", ondelete="CASCADE"), unique=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_debate_code)
    status: Mapped[str] = mapped_column(String(16), default=DebateStatus.LOBBY)
    rounds: Mapped[list] = mapped_column(JSON, default=lambda: [dict(r) for r in DEFAULT_ROUNDS])
    """Each ``{"name": ..., "seconds": ...}``, in order."""
    round_index: Mapped[int] = mapped_column(Integer, default=-1)
    round_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    students_choose_side: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped on every change, so screens can tell whether anything moved."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[PromptAssignment] = relationship(back_populates="live")
    participants: Mapped[list[DebateParticipant]] = relationship(
        back_populates="debate", cascade="all, delete-orphan", order_by="DebateParticipant.id")
    speakers: Mapped[list[DebateSpeaker]] = relationship(
        back_populates="debate", cascade="all, delete-orphan", order_by="DebateSpeaker.id")
    votes: Mapped[list[DebateVote]] = relationship(back_populates="debate", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<LiveDebate {self.id} {self.status} round {self.round_index}>"

    @property
    def current_round(self) -> dict | None:
        if self.status == DebateStatus.RUNNING and 0 <= self.round_index < len(self.rounds):
            return self.rounds[self.round_index]
        return None

    def round_ends_at(self) -> datetime | None:
        """When the current round's time is up (every screen counts down to this)."""
        current = self.current_round
        if current is None or self.round_started_at is None:
            return None
        return self.round_started_at + timedelta(seconds=int(current["seconds"]))

    def remaining_seconds(self, now: datetime) -> int | None:
        """Whole seconds left in the current round (0 when time is up), or None between rounds."""
        ends = self.round_ends_at()
        if ends is None:
            return None
        return max(0, int((ends - now).total_seconds() + 0.999))


class DebateParticipant(db.Model):
    """A student who joined a live debate, and the side they speak for."""

    __tablename__ = "debate_participants"
    __table_args__ = (UniqueConstraint("debate_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("live_debates.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(16), default=Side.UNDECIDED)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    debate: Mapped[LiveDebate] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DebateParticipant {self.user_id} in {self.debate_id} for {self.side}>"


class SpeakerStatus(StrEnum):
    QUEUED = "queued"
    SPEAKING = "speaking"
    DONE = "done"


class DebateSpeaker(db.Model):
    """A place in the speaking queue."""

    __tablename__ = "debate_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("live_debates.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(16), default=Side.UNDECIDED)
    status: Mapped[str] = mapped_column(String(16), default=SpeakerStatus.QUEUED)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    debate: Mapped[LiveDebate] = relationship(back_populates="speakers")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DebateSpeaker {self.user_id} {self.status}>"


class VotePhase(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class DebateVote(db.Model):
    """An audience member's vote before or after the debate (Oxford style)."""

    __tablename__ = "debate_votes"
    __table_args__ = (UniqueConstraint("debate_id", "user_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("live_debates.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(8))
    side: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    debate: Mapped[LiveDebate] = relationship(back_populates="votes")

    def __repr__(self) -> str:
        return f"<DebateVote {self.user_id} {self.phase} {self.side}>"
