"""Accounts and site-wide settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db


class Role(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A person with an account: a student, a teacher or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.STUDENT)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    """Part of the login id: bumping it logs out every session and remember-me cookie."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_teacher(self) -> bool:
        """Teachers and admins may teach."""
        return self.role in (Role.TEACHER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT


class SiteSetting(db.Model):
    """A named site-wide value, such as the hash of the teacher invitation code."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(512))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SiteSetting {self.key}>"
