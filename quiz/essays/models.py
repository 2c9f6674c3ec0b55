"""Essays, rubrics (criteria × levels with points) and rubric grades."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.auth.models import User
from quiz.database import UTCDateTime, utcnow
from quiz.debates.models import Prompt, PromptAssignment
from quiz.extensions import db


class Rubric(db.Model):
    """A teacher's rubric: written for one prompt or reused across prompts and quizzes."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompts.id", ondelete="SET NULL"))
    """The prompt it was written for, if any; any rubric can be reused."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    prompt: Mapped[Prompt | None] = relationship()
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="rubric", cascade="all, delete-orphan", order_by="RubricCriterion.position")

    def __repr__(self) -> str:
        return f"<Rubric {self.id} {self.title!r}>"

    @property
    def max_points(self) -> int:
        """The best score: the top level of every criterion."""
        return sum(max((level.points for level in c.levels), default=0) for c in self.criteria)


class RubricCriterion(db.Model):
    """A row of a rubric: what is judged."""

    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")
    levels: Mapped[list[RubricLevel]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="RubricLevel.position")

    def __repr__(self) -> str:
        return f"<RubricCriterion {self.id} {self.title!r}>"


class RubricLevel(db.Model):
    """A column of a rubric row: a level of achievement and its points."""

    __tablename__ = "rubric_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(Integer, default=0)

    criterion: Mapped[RubricCriterion] = relationship(back_populates="levels")

    def __repr__(self) -> str:
        return f"<RubricLevel {self.id} {self.title!r} {self.points}>"


class RubricGrade(db.Model):
    """A piece of work graded with a rubric: the level chosen per criterion, a comment, the total.

    Essays use it, and so can any other written answer (an essay question in a quiz).
    """

    __tablename__ = "rubric_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id", ondelete="SET NULL"))
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(Integer, default=0)
    max_points: Mapped[int] = mapped_column(Integer, default=0)
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rubric: Mapped[Rubric | None] = relationship()
    grader: Mapped[User | None] = relationship()
    scores: Mapped[list[RubricScore]] = relationship(
        back_populates="grade", cascade="all, delete-orphan", order_by="RubricScore.position")

    def __repr__(self) -> str:
        return f"<RubricGrade {self.id} {self.points}/{self.max_points}>"


class RubricScore(db.Model):
    """One criterion's level in a grade, copied as text so it outlives edits to the rubric."""

    __tablename__ = "rubric_scores"
    __table_args__ = (UniqueConstraint("grade_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("rubric_grades.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="SET NULL"))
    level_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_levels.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    criterion_title: Mapped[str] = mapped_column(String(200))
    level_title: Mapped[str] = mapped_column(String(120))
    points: Mapped[int] = mapped_column(Integer, default=0)
    max_points: Mapped[int] = mapped_column(Integer, default=0)

    grade: Mapped[RubricGrade] = relationship(back_populates="scores")

    def __repr__(self) -> str:
        return f"<RubricScore {self.criterion_title!r} {self.points}/{self.max_points}>"


class Essay(db.Model):
    """A student's essay for an essay assignment: a draft until submitted, then graded and released."""

    __tablename__ = "essays"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("prompt_assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_grades.id", ondelete="SET NULL"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[PromptAssignment] = relationship()
    student: Mapped[User] = relationship()
    grade: Mapped[RubricGrade | None] = relationship()

    def __repr__(self) -> str:
        return f"<Essay {self.id} by {self.student_id}>"

    @property
    def status(self) -> str:
        if self.released_at:
            return "released"
        if self.grade_id:
            return "graded"
        if self.submitted_at:
            return "submitted"
        return "draft"
