"""Grade overrides: a teacher's own grade for a student on an assigned quiz, with the reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.extensions import db
from quiz.quizzes.models import Assignment


class GradeOverride(db.Model):
    """One change of a student's grade on an assignment by a teacher.

    Rows are never updated: each override (or its removal, ``percent`` None) is a new row, so the
    rows are the log, and the newest one per assignment and student is the one in force.
    """

    __tablename__ = "grade_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("quiz_assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    percent: Mapped[float | None] = mapped_column(Float)
    """The grade given, 0–100; None when the override was removed and the computed grade is back."""
    reason: Mapped[str] = mapped_column(Text)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship()
    student: Mapped[User] = relationship(foreign_keys=[student_id])
    teacher: Mapped[User | None] = relationship(foreign_keys=[teacher_id])

    def __repr__(self) -> str:
        return f"<GradeOverride {self.id} {self.percent} for {self.student_id} on {self.assignment_id}>"
