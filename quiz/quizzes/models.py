"""Quizzes, their questions, assignments to classes, and students' attempts."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.model import Question as PlainQuestion
from question_bank.models import Question, Unit
from quiz.auth.models import User
from quiz.classes.models import Classroom
from quiz.database import UTCDateTime, utcnow
from quiz.essays.models import RubricGrade
from quiz.extensions import db


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    FIRST = "first"
    AVERAGE = "average"


class ReviewWhen(StrEnum):
    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class Quiz(db.Model):
    """A teacher's quiz: chosen and randomly drawn questions, with its rules for taking and review."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    """0 means unlimited."""
    grading_method: Mapped[str] = mapped_column(String(16), default=GradingMethod.HIGHEST)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_choices: Mapped[bool] = mapped_column(Boolean, default=True)
    questions_per_page: Mapped[int] = mapped_column(Integer, default=5)
    """0 puts every question on one page."""
    pass_mark: Mapped[float | None] = mapped_column(Float)
    """A percentage, or None for no pass mark."""
    review_when: Mapped[str] = mapped_column(String(16), default=ReviewWhen.IMMEDIATELY)
    review_score: Mapped[bool] = mapped_column(Boolean, default=True)
    review_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    review_correct: Mapped[bool] = mapped_column(Boolean, default=True)
    review_explanations: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    items: Mapped[list[QuizItem]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizItem.position")
    rules: Mapped[list[QuizRule]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizRule.position")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="Assignment.id")

    def __repr__(self) -> str:
        return f"<Quiz {self.id} {self.title!r}>"

    @property
    def question_count(self) -> int:
        """How many questions an attempt gets."""
        return len(self.items) + sum(rule.count for rule in self.rules)

    @property
    def total_marks(self) -> float:
        return sum(item.marks for item in self.items) + sum(rule.count * rule.marks for rule in self.rules)


class QuizItem(db.Model):
    """A question chosen by hand for a quiz."""

    __tablename__ = "quiz_items"
    __table_args__ = (UniqueConstraint("quiz_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    marks: Mapped[float] = mapped_column(Float, default=1.0)

    quiz: Mapped[Quiz] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<QuizItem {self.quiz_id}:{self.position} q{self.question_id}>"


class QuizRule(db.Model):
    """"N random approved questions from these tags, types and difficulties", drawn per attempt."""

    __tablename__ = "quiz_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    types: Mapped[list] = mapped_column(JSON, default=list)
    difficulty_min: Mapped[float] = mapped_column(Float, default=0.0)
    difficulty_max: Mapped[float] = mapped_column(Float, default=1.0)
    marks: Mapped[float] = mapped_column(Float, default=1.0)

    quiz: Mapped[Quiz] = relationship(back_populates="rules")
    unit: Mapped[Unit | None] = relationship()

    def __repr__(self) -> str:
        return f"<QuizRule {self.quiz_id}:{self.position} {self.count} random>"

    def describe(self) -> str:
        """The rule in words, for the quiz page."""
        parts = [f"{self.count} random question{'s' if self.count != 1 else ''}"]
        if self.unit:
            parts.append(f"from “{self.unit.title}”")
        if self.types:
            parts.append("of type " + ", ".join(t.replace("_", " ") for t in self.types))
        if self.tags:
            parts.append("tagged " + ", ".join(self.tags))
        if (self.difficulty_min, self.difficulty_max) != (0.0, 1.0):
            parts.append(f"difficulty {self.difficulty_min:.1f}–{self.difficulty_max:.1f}")
        return " ".join(parts)


class Assignment(db.Model):
    """A quiz set for a class, with the class's own opening and closing times if given."""

    __tablename__ = "quiz_assignments"
    __table_args__ = (UniqueConstraint("quiz_id", "classroom_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="assignments")
    classroom: Mapped[Classroom] = relationship()
    accommodations: Mapped[list[Accommodation]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Assignment quiz {self.quiz_id} to class {self.classroom_id}>"

    @property
    def opens(self) -> datetime | None:
        return self.opens_at or self.quiz.opens_at

    @property
    def closes(self) -> datetime | None:
        return self.closes_at or self.quiz.closes_at

    def is_open(self, now: datetime) -> bool:
        return (self.opens is None or now >= self.opens) and (self.closes is None or now < self.closes)

    def is_closed(self, now: datetime) -> bool:
        return self.closes is not None and now >= self.closes


class Accommodation(db.Model):
    """Extra time or extra attempts for one student on one assignment."""

    __tablename__ = "quiz_accommodations"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("quiz_assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)

    assignment: Mapped[Assignment] = relationship(back_populates="accommodations")
    student: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Accommodation {self.student_id} on {self.assignment_id}>"


class Attempt(db.Model):
    """One student's go at an assigned quiz: its questions are fixed when it starts."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("quiz_assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=AttemptStatus.IN_PROGRESS, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finish_reason: Mapped[str] = mapped_column(String(16), default="")
    """``submitted`` by the student, ``time_up`` at the time limit, ``closed`` when the quiz closed."""
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    needs_grading: Mapped[bool] = mapped_column(Boolean, default=False)

    assignment: Mapped[Assignment] = relationship()
    student: Mapped[User] = relationship()
    slots: Mapped[list[AttemptSlot]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptSlot.position")

    def __repr__(self) -> str:
        return f"<Attempt {self.id} #{self.number} by {self.student_id} {self.status}>"

    @property
    def finished(self) -> bool:
        return self.status == AttemptStatus.FINISHED

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score

    @property
    def pages(self) -> int:
        return max((slot.page for slot in self.slots), default=0) + 1

    def seconds_left(self, now: datetime) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now) / timedelta(seconds=1)))


class AttemptSlot(db.Model):
    """A question as an attempt was given it (a snapshot, so later edits never change it), and the answer."""

    __tablename__ = "attempt_slots"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer, default=0)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    question_version: Mapped[int] = mapped_column(Integer, default=1)
    snapshot: Mapped[dict] = mapped_column(JSON)
    display: Mapped[dict] = mapped_column(JSON, default=dict)
    marks: Mapped[float] = mapped_column(Float, default=1.0)
    response: Mapped[object | None] = mapped_column(JSON)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fraction: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rubric_grade_id: Mapped[int | None] = mapped_column(ForeignKey("rubric_grades.id", ondelete="SET NULL"))
    """An essay answer graded with a rubric keeps the levels chosen per criterion."""

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    question: Mapped[Question | None] = relationship()
    rubric_grade: Mapped[RubricGrade | None] = relationship()

    def __repr__(self) -> str:
        return f"<AttemptSlot {self.attempt_id}:{self.position}>"

    @property
    def plain(self) -> PlainQuestion:
        """The question exactly as it was given."""
        return PlainQuestion.from_dict(self.snapshot)

    @property
    def answered(self) -> bool:
        return self.response not in (None, "", [], {})
