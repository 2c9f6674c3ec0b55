"""Discussion threads: posts with stances and cited passages, votes and a moderation record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.models import Passage
from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.debates.models import PromptAssignment
from quiz.extensions import db

MAX_DEPTH = 2
"""A post (depth 0) takes replies (1), and replies take replies (2); no deeper."""


class Post(db.Model):
    """A post or a reply in a discussion thread (the thread is a discussion assignment)."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("prompt_assignments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    depth: Mapped[int] = mapped_column(default=0)
    stance: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    """Deleted by its author but kept, text emptied, because it has replies."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[PromptAssignment] = relationship()
    author: Mapped[User] = relationship()
    parent: Mapped[Post | None] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list[Post]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", order_by="Post.id")
    citations: Mapped[list[PostCitation]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostCitation.id")
    votes: Mapped[list[PostVote]] = relationship(back_populates="post", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Post {self.id} in {self.assignment_id} by {self.author_id}>"


class PostCitation(db.Model):
    """A passage a post cites as evidence, with its text kept in case the reading is removed."""

    __tablename__ = "post_citations"
    __table_args__ = (UniqueConstraint("post_id", "passage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"))
    quote: Mapped[str] = mapped_column(Text)
    source_title: Mapped[str] = mapped_column(String(300), default="")

    post: Mapped[Post] = relationship(back_populates="citations")
    passage: Mapped[Passage | None] = relationship()

    def __repr__(self) -> str:
        return f"<PostCitation {self.post_id} -> {self.passage_id}>"


class PostVote(db.Model):
    """A student's "convincing" vote on a classmate's post (one per student per post)."""

    __tablename__ = "post_votes"
    __table_args__ = (UniqueConstraint("post_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="votes")

    def __repr__(self) -> str:
        return f"<PostVote {self.voter_id} on {self.post_id}>"


class Activity(StrEnum):
    POSTED = "posted"
    REPLIED = "replied"
    EDITED = "edited"
    DELETED = "deleted"
    VOTED = "voted"
    HID = "hid"
    UNHID = "unhid"
    PINNED = "pinned"
    UNPINNED = "unpinned"
    LOCKED = "locked"
    UNLOCKED = "unlocked"


class DiscussionEvent(db.Model):
    """Who did what in a thread and when: the teachers' activity list."""

    __tablename__ = "discussion_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("prompt_assignments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
    post: Mapped[Post | None] = relationship()

    def __repr__(self) -> str:
        return f"<DiscussionEvent {self.assignment_id} {self.action}>"
