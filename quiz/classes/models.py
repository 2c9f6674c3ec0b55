"""Classes and who belongs to them."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 7


def new_join_code() -> str:
    """A short random code that is easy to read and type."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class MemberRole(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"


class Classroom(db.Model):
    """A class: a teacher's group of students, joined with a code."""

    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(120), default="")
    term: Mapped[str] = mapped_column(String(60), default="")
    join_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_join_code)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Classroom {self.id} {self.name!r}>"


class Membership(db.Model):
    """A user's place in a class, as a student or as one of its teachers."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.STUDENT)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Membership {self.user_id} in {self.classroom_id} as {self.role}>"
