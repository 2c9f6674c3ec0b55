"""Progress workflows: the gradebook and its overrides and exports, item analysis, class mastery,
study cards at a glance, and a student's own progress.

Every report loads what it needs in a fixed number of queries, whatever the number of students,
attempts or questions: rows are fetched per class or per assignment and grouped in Python.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from question_bank.models import Question, QuestionStatus, QuestionTag
from question_bank.statistics import (
    ItemStats,
    QuizStats,
    flag_item,
    item_stats,
    mastery,
    mean,
    quiz_stats,
)
from quiz import clock
from quiz.auth.models import User
from quiz.classes.models import Classroom, MemberRole, Membership
from quiz.classes.services import class_for
from quiz.debates.models import PromptAssignment
from quiz.essays.models import Essay
from quiz.essays.services import EssayGrade
from quiz.extensions import db
from quiz.practice.models import CardKind, CardReview, PracticeItem, PracticeSession, ReviewSource, StudyCard
from quiz.progress.models import GradeOverride
from quiz.quizzes.models import Assignment, Attempt, AttemptSlot, AttemptStatus, GradingMethod
from quiz.quizzes.services import final_grade, refresh

MIN_TOPIC_ANSWERS = 2
"""A topic needs this many answers before it is called strong or weak."""
TOPICS_SHOWN = 3
MASTERED = 0.8
"""A topic at or above this mastery is never listed as one to revise."""
MISSED_PER_TOPIC = 3
WRONG_ANSWERS_SHOWN = 3
DUE_SHOWN = 5
DUE_SOON = timedelta(days=2)


class ProgressError(Exception):
    """A progress action that cannot be done, with a message for the teacher."""


# --------------------------------------------------------------------------- access


def students_of(classroom: Classroom) -> list[User]:
    """The class's students, by name."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id, Membership.role == MemberRole.STUDENT)
        .order_by(User.display_name, User.id)))


def assignment_for_teacher(assignment_id: int, teacher: User) -> Assignment:
    """An assignment of a class ``teacher`` teaches (404 outside the class, 403 for its students)."""
    assignment = db.get_or_404(Assignment, assignment_id)
    class_for(assignment.classroom_id, teacher, teacher=True)
    return assignment


def student_of(classroom: Classroom, student_id: int) -> User:
    """A student of the class, else 404."""
    student = db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id, Membership.role == MemberRole.STUDENT,
               User.id == student_id))
    if student is None:
        abort(404)
    return student


def _closing_order(assignments: list[Assignment]) -> list[Assignment]:
    """Soonest closing first; ones that never close last, oldest first."""
    return sorted(assignments, key=lambda a: (a.closes is None, a.closes or a.created_at, a.id))


# --------------------------------------------------------------------------- the gradebook


@dataclass
class Cell:
    """One student's standing on one assigned quiz."""

    status: str
    """``done``, ``in progress``, ``not started``, ``overdue`` or ``not open yet``."""
    attempts: int = 0
    computed: float | None = None
    """The grade the quiz's grading method gives, as a percentage."""
    override: GradeOverride | None = None
    late: bool = False
    needs_grading: bool = False
    below_pass: bool = False
    due_soon: bool = False
    """Not started, and closing within ``DUE_SOON``."""

    @property
    def grade(self) -> float | None:
        """The grade in force: the teacher's override if there is one, else the computed grade."""
        if self.override is not None and self.override.percent is not None:
            return self.override.percent
        return self.computed

    @property
    def overridden(self) -> bool:
        return self.override is not None and self.override.percent is not None


@dataclass
class StudentSummary:
    """A student's row total: average grade and how much is outstanding."""

    average: float | None
    overdue: int
    not_started: int
    below_pass: int

    @property
    def behind(self) -> bool:
        return bool(self.overdue or self.below_pass)


@dataclass
class Gradebook:
    """A class's students × assigned quizzes (and graded essays), with row and column summaries."""

    classroom: Classroom
    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell]
    essays: list[PromptAssignment]
    essay_grades: dict[tuple[int, int], EssayGrade]
    summaries: dict[int, StudentSummary]
    column_averages: dict[int, float | None]
    now: datetime

    def cell(self, student: User, assignment: Assignment) -> Cell:
        return self.cells[(student.id, assignment.id)]

    def essay(self, student: User, essay_assignment: PromptAssignment) -> EssayGrade | None:
        return self.essay_grades.get((student.id, essay_assignment.id))

    @property
    def behind(self) -> list[tuple[User, StudentSummary]]:
        """Students with overdue work or a grade below a quiz's pass mark, the most overdue first."""
        rows = [(s, self.summaries[s.id]) for s in self.students if self.summaries[s.id].behind]
        return sorted(rows, key=lambda r: (-r[1].overdue, -r[1].below_pass, r[0].display_name))


@dataclass(slots=True)
class AttemptRow:
    """The columns of an attempt the gradebook needs (a plain row: thousands of ORM objects are slow)."""

    id: int
    assignment_id: int
    student_id: int
    number: int
    finished: bool
    score: float | None
    max_score: float
    finished_at: datetime | None
    needs_grading: bool

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


ATTEMPT_COLUMNS = (Attempt.id, Attempt.assignment_id, Attempt.student_id, Attempt.number, Attempt.status,
                   Attempt.score, Attempt.max_score, Attempt.finished_at, Attempt.needs_grading)


def _attempt_rows(query) -> list[AttemptRow]:
    return [AttemptRow(id=r.id, assignment_id=r.assignment_id, student_id=r.student_id, number=r.number,
                       finished=r.status == AttemptStatus.FINISHED, score=r.score, max_score=r.max_score,
                       finished_at=r.finished_at, needs_grading=r.needs_grading)
            for r in db.session.execute(query)]


def _refresh_expired(attempt_ids: list[int], now: datetime) -> None:
    """Finish and grade the attempts among these whose time has run out, as any page touching them does."""
    expired = db.session.scalars(select(Attempt).where(
        Attempt.id.in_(attempt_ids), Attempt.status == AttemptStatus.IN_PROGRESS, Attempt.deadline <= now)).all()
    for attempt in expired:
        refresh(attempt, now)


@dataclass(frozen=True, slots=True)
class GradingRule:
    """Just the quiz's grading method, for ``final_grade`` to read cheaply thousands of times."""

    grading_method: str


@dataclass
class _Column:
    """What every cell of one assignment's column shares, worked out once."""

    assignment: Assignment
    id: int
    rule: GradingRule
    pass_mark: float | None
    opens: datetime | None
    closes: datetime | None
    closed: bool


def _column(assignment: Assignment, now: datetime) -> _Column:
    quiz = assignment.quiz
    return _Column(assignment=assignment, id=assignment.id, rule=GradingRule(quiz.grading_method),
                   pass_mark=quiz.pass_mark,
                   opens=assignment.opens, closes=assignment.closes, closed=assignment.is_closed(now))


def _cell(column: _Column, attempts: list, override: GradeOverride | None, now: datetime) -> Cell:
    finished = [a for a in attempts if a.finished]
    current = next((a for a in attempts if not a.finished), None)
    closes = column.closes
    if finished:
        status = "done"
    elif current is not None:
        status = "in progress"
    elif column.opens and now < column.opens:
        status = "not open yet"
    elif column.closed:
        status = "overdue"
    else:
        status = "not started"
    cell = Cell(status=status, attempts=len(attempts), computed=final_grade(column.rule, finished),
                override=override,
                late=bool(closes and any(a.finished_at and a.finished_at > closes for a in finished)),
                needs_grading=any(a.needs_grading for a in finished))
    cell.due_soon = status == "not started" and closes is not None and closes - now <= DUE_SOON
    grade = cell.grade
    cell.below_pass = column.pass_mark is not None and grade is not None and grade < column.pass_mark
    return cell


def _latest_overrides(assignment_ids: list[int]) -> dict[tuple[int, int], GradeOverride]:
    """The override in force per (student, assignment): the newest row, if it sets a grade."""
    rows = db.session.scalars(select(GradeOverride).where(GradeOverride.assignment_id.in_(assignment_ids))
                              .order_by(GradeOverride.created_at, GradeOverride.id)) if assignment_ids else []
    latest = {}
    for row in rows:
        latest[(row.student_id, row.assignment_id)] = row
    return {key: row for key, row in latest.items() if row.percent is not None}


def gradebook(classroom: Classroom, now: datetime | None = None) -> Gradebook:
    """Every student's grade, attempts and standing on every quiz set for the class, and essay grades."""
    now = now or clock.now()
    students = students_of(classroom)
    assignments = _closing_order(list(db.session.scalars(
        select(Assignment).options(joinedload(Assignment.quiz))
        .where(Assignment.classroom_id == classroom.id))))
    ids = [a.id for a in assignments]
    query = select(*ATTEMPT_COLUMNS).where(Attempt.assignment_id.in_(ids)).order_by(Attempt.number)
    attempts = _attempt_rows(query) if ids else []
    open_ids = [a.id for a in attempts if not a.finished]
    if open_ids and db.session.scalar(select(func.count(Attempt.id)).where(
            Attempt.id.in_(open_ids), Attempt.deadline <= now)):
        _refresh_expired(open_ids, now)
        attempts = _attempt_rows(query)
    by_cell: dict[tuple[int, int], list[AttemptRow]] = defaultdict(list)
    for attempt in attempts:
        by_cell[(attempt.student_id, attempt.assignment_id)].append(attempt)
    overrides = _latest_overrides(ids)
    columns = [_column(a, now) for a in assignments]
    student_ids = [s.id for s in students]
    cells = {(sid, c.id): _cell(c, by_cell[(sid, c.id)], overrides.get((sid, c.id)), now)
             for sid in student_ids for c in columns}
    summaries = {}
    for sid in student_ids:
        row = [cells[(sid, c.id)] for c in columns]
        grades = [grade for grade in (c.grade for c in row) if grade is not None]
        summaries[sid] = StudentSummary(
            average=mean(grades), overdue=sum(c.status == "overdue" for c in row),
            not_started=sum(c.status == "not started" for c in row), below_pass=sum(c.below_pass for c in row))
    column_averages = {}
    for column in columns:
        grades = [grade for grade in (cells[(sid, column.id)].grade for sid in student_ids) if grade is not None]
        column_averages[column.id] = mean(grades)
    essays, essay_grades = _essay_columns(classroom)
    return Gradebook(classroom=classroom, students=students, assignments=assignments, cells=cells,
                     essays=essays, essay_grades=essay_grades, summaries=summaries,
                     column_averages=column_averages, now=now)


def _essay_columns(classroom: Classroom) -> tuple[list[PromptAssignment], dict[tuple[int, int], EssayGrade]]:
    """The class's essay assignments and their graded essays (the essays feature's ``EssayGrade``)."""
    essay_assignments = list(db.session.scalars(
        select(PromptAssignment).options(joinedload(PromptAssignment.prompt))
        .where(PromptAssignment.classroom_id == classroom.id, PromptAssignment.kind == "essay")
        .order_by(PromptAssignment.created_at, PromptAssignment.id)))
    if not essay_assignments:
        return [], {}
    by_id = {a.id: a for a in essay_assignments}
    essays = db.session.scalars(
        select(Essay).options(joinedload(Essay.grade), joinedload(Essay.student))
        .where(Essay.assignment_id.in_(by_id), Essay.grade_id.is_not(None)))
    grades = {}
    for essay in essays:
        assignment = by_id[essay.assignment_id]
        grades[(essay.student_id, assignment.id)] = EssayGrade(
            essay.student, assignment, assignment.prompt, essay.grade.points, essay.grade.max_points,
            essay.released_at is not None)
    return essay_assignments, grades


# --------------------------------------------------------------------------- one student's grade


def grade_history(assignment: Assignment, student: User) -> list[GradeOverride]:
    """Every override of the student's grade on the assignment, newest first."""
    return list(db.session.scalars(
        select(GradeOverride).options(joinedload(GradeOverride.teacher))
        .where(GradeOverride.assignment_id == assignment.id, GradeOverride.student_id == student.id)
        .order_by(GradeOverride.created_at.desc(), GradeOverride.id.desc())))


def grade_cell(assignment: Assignment, student: User, now: datetime | None = None) -> tuple[Cell, list[Attempt]]:
    """The student's standing on one assignment, and their attempts (oldest first)."""
    now = now or clock.now()
    attempts = list(db.session.scalars(select(Attempt).where(
        Attempt.assignment_id == assignment.id, Attempt.student_id == student.id).order_by(Attempt.number)))
    for attempt in attempts:
        refresh(attempt, now)
    history = grade_history(assignment, student)
    current = history[0] if history and history[0].percent is not None else None
    return _cell(_column(assignment, now), attempts, current, now), attempts


def override_grade(assignment: Assignment, student: User, teacher: User, percent: float | None,
                   reason: str) -> GradeOverride:
    """Set the student's grade by hand (``percent`` None removes the override); logged with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ProgressError("Give a reason: it is kept in the grade's history.")
    if percent is not None and not 0 <= percent <= 100:
        raise ProgressError("Give a grade between 0 and 100.")
    history = grade_history(assignment, student)
    in_force = bool(history) and history[0].percent is not None
    if percent is None and not in_force:
        raise ProgressError("There is no override to remove: the grade is already the quiz's own.")
    row = GradeOverride(assignment=assignment, student_id=student.id, teacher_id=teacher.id,
                        percent=None if percent is None else round(float(percent), 1), reason=reason,
                        created_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


# --------------------------------------------------------------------------- exports


def _spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula (a name starting with = + - @)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def gradebook_csv(book: Gradebook) -> str:
    """The gradebook as CSV: one row per student, a column per quiz and essay, then the average.

    UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with accents intact.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Student", "Email"]
                    + [_spreadsheet_safe(f"{a.quiz.title} (%)") for a in book.assignments]
                    + [_spreadsheet_safe(f"{e.prompt.title} (essay points)") for e in book.essays]
                    + ["Average (%)", "Overdue"])
    for student in book.students:
        essays = []
        for essay_assignment in book.essays:
            grade = book.essay(student, essay_assignment)
            essays.append(f"{grade.points}/{grade.max_points}" if grade else "")
        summary = book.summaries[student.id]
        writer.writerow([_spreadsheet_safe(student.display_name), _spreadsheet_safe(student.email)]
                        + [_number(book.cell(student, a).grade) for a in book.assignments]
                        + essays + [_number(summary.average), summary.overdue])
    return "\ufeff" + out.getvalue()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def gradebook_json(book: Gradebook) -> dict:
    """The gradebook as a JSON-ready dict: the class, its quizzes and essays, and every student's cells."""
    students = []
    for student in book.students:
        cells = {}
        for assignment in book.assignments:
            cell = book.cell(student, assignment)
            cells[str(assignment.id)] = {
                "grade": cell.grade, "computed": cell.computed, "overridden": cell.overridden,
                "override_reason": cell.override.reason if cell.overridden else None,
                "attempts": cell.attempts, "status": cell.status, "due_soon": cell.due_soon, "late": cell.late,
                "needs_grading": cell.needs_grading}
        essays = {str(e.id): ({"points": g.points, "max_points": g.max_points, "released": g.released}
                              if (g := book.essay(student, e)) else None) for e in book.essays}
        summary = book.summaries[student.id]
        students.append({"id": student.id, "name": student.display_name, "email": student.email,
                         "average": summary.average, "overdue": summary.overdue, "quizzes": cells,
                         "essays": essays})
    return {
        "class": {"id": book.classroom.id, "name": book.classroom.name},
        "generated_at": book.now.isoformat(),
        "quizzes": [{"assignment_id": a.id, "quiz_id": a.quiz_id, "title": a.quiz.title,
                     "grading_method": a.quiz.grading_method, "opens": _iso(a.opens), "closes": _iso(a.closes),
                     "pass_mark": a.quiz.pass_mark, "class_average": book.column_averages[a.id]}
                    for a in book.assignments],
        "essays": [{"assignment_id": e.id, "title": e.prompt.title} for e in book.essays],
        "students": students,
    }


def gradebook_json_text(book: Gradebook) -> str:
    """The JSON export as text."""
    return json.dumps(gradebook_json(book), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- item analysis


@dataclass
class ItemRow:
    """One question of an item analysis, with what the page shows beside its figures."""

    key: object
    question_id: int | None
    position: int
    type: str
    stem: str
    stats: ItemStats
    choices: list[tuple[str, int, bool]] = field(default_factory=list)
    """(choice, times picked, is it the right one), for multiple choice and true/false."""
    unanswered: int = 0
    given: int = 0
    """How many attempts were given the question (answered or not)."""


@dataclass
class ItemAnalysis:
    """An assignment's item analysis: the attempts analysed, the whole quiz's figures and each question's."""

    assignment: Assignment
    basis: str
    summary: QuizStats
    items: list[ItemRow]

    @property
    def flagged(self) -> list[ItemRow]:
        return [item for item in self.items if item.stats.flags]


BASIS = {
    GradingMethod.HIGHEST: "each student's highest-scoring attempt",
    GradingMethod.FIRST: "each student's first attempt",
    GradingMethod.LAST: "each student's last attempt",
    GradingMethod.AVERAGE: "every finished attempt (the quiz averages them)",
}


def _analysed_attempts(assignment: Assignment) -> list:
    """The finished attempts that count for the grade: one per student, or all for an average (as Moodle)."""
    rows = db.session.execute(
        select(Attempt.id, Attempt.student_id, Attempt.number, Attempt.score, Attempt.max_score)
        .where(Attempt.assignment_id == assignment.id, Attempt.status == AttemptStatus.FINISHED)
        .order_by(Attempt.student_id, Attempt.number)).all()
    method = assignment.quiz.grading_method
    if method == GradingMethod.AVERAGE:
        return list(rows)
    chosen = {}
    for row in rows:
        best = chosen.get(row.student_id)
        percent = row.score / row.max_score if row.max_score else 0.0
        if best is None or method == GradingMethod.LAST:
            chosen[row.student_id] = row
        elif method == GradingMethod.HIGHEST and percent > (best.score / best.max_score if best.max_score else 0):
            chosen[row.student_id] = row
    return sorted(chosen.values(), key=lambda r: r.id)


def _choice_text(response) -> str:
    return response if isinstance(response, str) else ""


def item_analysis(assignment: Assignment) -> ItemAnalysis:
    """Moodle-style statistics for an assigned quiz over the attempts that count for the grade."""
    attempts = _analysed_attempts(assignment)
    ids = [row.id for row in attempts]
    slot_key = case((AttemptSlot.question_id.is_(None), -AttemptSlot.position - 1),
                    else_=AttemptSlot.question_id)
    slots = db.session.execute(
        select(AttemptSlot.attempt_id, slot_key.label("key"), AttemptSlot.position, AttemptSlot.fraction,
               AttemptSlot.response)
        .join(Attempt).where(Attempt.assignment_id == assignment.id,
                             Attempt.status == AttemptStatus.FINISHED)).all()
    chosen = set(ids)
    slots = [s for s in slots if s.attempt_id in chosen]
    # One snapshot per question (the newest version given), not one per answer.
    newest = (select(func.max(AttemptSlot.id)).join(Attempt)
              .where(Attempt.assignment_id == assignment.id).group_by(slot_key))
    snapshots = {row.key: row for row in db.session.execute(
        select(slot_key.label("key"), AttemptSlot.question_id, AttemptSlot.snapshot)
        .where(AttemptSlot.id.in_(newest))).all()}
    scores: dict[int, dict] = {attempt_id: {} for attempt_id in ids}
    positions: dict[object, list[int]] = defaultdict(list)
    picks: dict[object, Counter] = defaultdict(Counter)
    for slot in slots:
        positions[slot.key].append(slot.position)
        picks[slot.key][_choice_text(slot.response)] += 1
        if slot.fraction is not None:
            scores[slot.attempt_id][slot.key] = slot.fraction
    ordered_scores = [scores[attempt_id] for attempt_id in ids]
    stats = item_stats(ordered_scores)
    percents = [100.0 * row.score / row.max_score for row in attempts if row.max_score and row.score is not None]
    items = []
    for key, positions_seen in positions.items():
        snapshot = snapshots[key].snapshot if key in snapshots else {}
        kind = snapshot.get("type", "")
        row_stats = stats.get(key) or ItemStats(attempts=0, facility=None, sd=None, discrimination=None,
                                                point_biserial=None)
        item = ItemRow(key=key, question_id=key if isinstance(key, int) and key > 0 else None,
                       position=min(positions_seen), type=kind, stem=snapshot.get("stem", ""), stats=row_stats)
        if kind in ("multiple_choice", "true_false"):
            choices = snapshot.get("choices") or ["true", "false"]
            right = snapshot.get("answer")
            counted = picks[key]
            item.choices = [(choice, counted.get(choice, 0), choice == right) for choice in choices]
            item.unanswered = counted.get("", 0)
            item.given = sum(counted.values())
            row_stats.choice_counts = {choice: counted.get(choice, 0) for choice in choices}
            row_stats.correct_choice = right
        row_stats.flags = flag_item(row_stats)
        items.append(item)
    items.sort(key=lambda item: (item.position, str(item.key)))
    return ItemAnalysis(assignment=assignment, basis=BASIS.get(assignment.quiz.grading_method, ""),
                        summary=quiz_stats(percents, ordered_scores), items=items)


# --------------------------------------------------------------------------- mastery


@dataclass
class Topic:
    """A student's mastery of one topic (tag)."""

    tag: str
    mastery: float
    answers: int


@dataclass
class MissedQuestion:
    """A question the class often gets wrong, with the wrong answers most often given."""

    question_id: int
    stem: str
    type: str
    facility: float
    answers: int
    wrong_answers: list[tuple[str, int]]


@dataclass
class ClassMastery:
    """Topic × student mastery for a class, and per topic the questions most often missed."""

    classroom: Classroom
    students: list[User]
    topics: list[str]
    """Weakest first (by the class's mean mastery)."""
    cells: dict[tuple[int, str], Topic]
    topic_means: dict[str, float | None]
    missed: dict[str, list[MissedQuestion]]

    def cell(self, student: User, tag: str) -> Topic | None:
        return self.cells.get((student.id, tag))


def show_response(response) -> str:
    """A response as a short line of text, for lists of common wrong answers."""
    if response is None or response == "" or response == [] or response == {}:
        return "(no answer)"
    if isinstance(response, dict):
        return "; ".join(f"{term} → {value}" for term, value in response.items())
    if isinstance(response, list):
        return " → ".join(str(part) for part in response)
    return str(response)


def class_mastery(classroom: Classroom) -> ClassMastery:
    """Each student's mastery of each topic met in the class's quizzes (with their practice on those
    topics), and the questions of each topic the class most often gets wrong."""
    students = students_of(classroom)
    student_ids = [s.id for s in students]
    finished_here = (select(Attempt.id).join(Assignment)
                     .where(Assignment.classroom_id == classroom.id, Attempt.status == AttemptStatus.FINISHED))
    quiz_answers = db.session.execute(
        select(Attempt.student_id, Attempt.finished_at, AttemptSlot.fraction, QuestionTag.tag)
        .join(Attempt, AttemptSlot.attempt_id == Attempt.id)
        .join(QuestionTag, QuestionTag.question_id == AttemptSlot.question_id)
        .where(AttemptSlot.attempt_id.in_(finished_here), AttemptSlot.fraction.is_not(None))).all()
    topics = sorted({row.tag for row in quiz_answers})
    answers: dict[tuple[int, str], list[tuple[datetime, float]]] = defaultdict(list)
    for row in quiz_answers:
        answers[(row.student_id, row.tag)].append((row.finished_at, row.fraction))
    if topics and student_ids:
        for row in db.session.execute(
                select(PracticeSession.user_id, PracticeItem.answered_at, PracticeItem.fraction, QuestionTag.tag)
                .join(PracticeSession, PracticeItem.session_id == PracticeSession.id)
                .join(QuestionTag, QuestionTag.question_id == PracticeItem.question_id)
                .where(PracticeSession.user_id.in_(student_ids), PracticeItem.fraction.is_not(None),
                       PracticeItem.answered_at.is_not(None), QuestionTag.tag.in_(topics))):
            answers[(row.user_id, row.tag)].append((row.answered_at, row.fraction))
    present = set(student_ids)
    cells = {key: Topic(tag=key[1], mastery=mastery(found), answers=len(found))
             for key, found in answers.items() if key[0] in present}
    topic_means = {tag: mean([cells[(s, tag)].mastery for s in student_ids if (s, tag) in cells]) for tag in topics}
    topics.sort(key=lambda tag: (topic_means[tag] if topic_means[tag] is not None else 2.0, tag))
    return ClassMastery(classroom=classroom, students=students, topics=topics, cells=cells,
                        topic_means=topic_means, missed=_missed_questions(finished_here, topics))


def _missed_questions(finished_here, topics: list[str]) -> dict[str, list[MissedQuestion]]:
    """Per topic, the questions with the lowest mean score and their most common wrong answers."""
    if not topics:
        return {}
    slots = db.session.execute(
        select(AttemptSlot.question_id, AttemptSlot.fraction, AttemptSlot.response)
        .where(AttemptSlot.attempt_id.in_(finished_here), AttemptSlot.question_id.is_not(None),
               AttemptSlot.fraction.is_not(None))).all()
    fractions: dict[int, list[float]] = defaultdict(list)
    wrong: dict[int, Counter] = defaultdict(Counter)
    shown: dict[tuple[int, str], str] = {}
    for slot in slots:
        fractions[slot.question_id].append(slot.fraction)
        if slot.fraction < 1:
            text = show_response(slot.response)
            key = " ".join(text.casefold().split())
            shown.setdefault((slot.question_id, key), text)
            wrong[slot.question_id][key] += 1
    tags = defaultdict(list)
    for question_id, tag in db.session.execute(
            select(QuestionTag.question_id, QuestionTag.tag).where(QuestionTag.question_id.in_(list(fractions)))):
        tags[tag].append(question_id)
    picked = {}
    for tag in topics:
        ranked = sorted(tags.get(tag, []), key=lambda q: (mean(fractions[q]), q))
        picked[tag] = [q for q in ranked if mean(fractions[q]) < 1][:MISSED_PER_TOPIC]
    wanted = {q for ids in picked.values() for q in ids}
    questions = {q.id: q for q in db.session.execute(
        select(Question.id, Question.stem, Question.type).where(Question.id.in_(wanted))).all()} if wanted else {}
    result = {}
    for tag, ids in picked.items():
        result[tag] = [MissedQuestion(
            question_id=q, stem=questions[q].stem, type=questions[q].type, facility=mean(fractions[q]),
            answers=len(fractions[q]),
            wrong_answers=[(shown[(q, key)], count) for key, count in wrong[q].most_common(WRONG_ANSWERS_SHOWN)])
            for q in ids if q in questions]
    return result


# --------------------------------------------------------------------------- study cards, for teachers


@dataclass
class CardsRow:
    """A student's spaced-repetition cards at a glance."""

    student: User
    due: int
    total: int
    reviews: int
    recall_rate: float | None
    last_review: datetime | None


def class_cards(classroom: Classroom, now: datetime | None = None) -> list[CardsRow]:
    """Per student of the class: cards due now, cards in all, reviews, recall rate and last review.

    Counts cards of approved questions and glossary terms (a retired question's card no longer counts).
    """
    now = now or clock.now()
    students = students_of(classroom)
    ids = [s.id for s in students]
    if not ids:
        return []
    live = or_(StudyCard.kind == CardKind.TERM, Question.status == QuestionStatus.APPROVED)
    counts = {row.user_id: row for row in db.session.execute(
        select(StudyCard.user_id, func.count(StudyCard.id).label("total"),
               func.count(StudyCard.id).filter(StudyCard.due <= now).label("due"),
               func.max(StudyCard.last_review_at).label("last"))
        .outerjoin(Question, StudyCard.question_id == Question.id)
        .where(StudyCard.user_id.in_(ids), live).group_by(StudyCard.user_id))}
    recalls = {row.user_id: row for row in db.session.execute(
        select(StudyCard.user_id, func.count(CardReview.id).label("reviews"),
               func.count(CardReview.id).filter(CardReview.rating >= 2).label("recalled"))
        .join(CardReview, CardReview.card_id == StudyCard.id)
        .where(StudyCard.user_id.in_(ids)).group_by(StudyCard.user_id))}
    rows = []
    for student in students:
        count, recall = counts.get(student.id), recalls.get(student.id)
        reviews = recall.reviews if recall else 0
        last = count.last if count else None
        if isinstance(last, datetime) and last.tzinfo is None:  # an aggregate skips the column's type
            last = last.replace(tzinfo=now.tzinfo)
        rows.append(CardsRow(student=student, due=count.due if count else 0, total=count.total if count else 0,
                             reviews=reviews, recall_rate=(recall.recalled / reviews) if reviews else None,
                             last_review=last))
    return rows


# --------------------------------------------------------------------------- a student's own progress


@dataclass
class QuizHistory:
    """A student's finished attempts at one assigned quiz, and the grade they give."""

    assignment: Assignment
    attempts: list[Attempt]
    grade: float | None


@dataclass
class StudentProgress:
    """What a student sees of their own progress."""

    student: User
    history: list[QuizHistory]
    timeline: list[Attempt]
    """Finished attempts, oldest first: the chart of scores over time."""
    topics: list[Topic]
    """Alphabetical."""
    weakest: list[Topic]
    strongest: list[Topic]
    due: int
    cards: int
    recall_rate: float | None
    due_cards: list[StudyCard]

    @property
    def average(self) -> float | None:
        return mean([h.grade for h in self.history if h.grade is not None])


def student_progress(student: User, now: datetime | None = None,
                     classroom: Classroom | None = None) -> StudentProgress:
    """The student's quiz scores, mastery per topic from quizzes and practice, and cards due
    (``classroom``: only that class's quizzes, for its teachers)."""
    from quiz.practice.services import cards_summary

    now = now or clock.now()
    query = (select(Attempt).options(joinedload(Attempt.assignment).joinedload(Assignment.quiz),
                                     joinedload(Attempt.assignment).joinedload(Assignment.classroom))
             .where(Attempt.student_id == student.id, Attempt.status == AttemptStatus.FINISHED)
             .order_by(Attempt.finished_at, Attempt.id))
    if classroom is not None:
        query = query.join(Assignment, Attempt.assignment_id == Assignment.id).where(
            Assignment.classroom_id == classroom.id)
    attempts = list(db.session.scalars(query))
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.assignment_id].append(attempt)
    history = [QuizHistory(assignment=found[0].assignment, attempts=sorted(found, key=lambda a: a.number),
                           grade=final_grade(found[0].assignment.quiz, sorted(found, key=lambda a: a.number)))
               for found in grouped.values()]
    history.sort(key=lambda h: h.attempts[-1].finished_at, reverse=True)
    topics = student_topics(student)
    ranked = sorted((t for t in topics if t.answers >= MIN_TOPIC_ANSWERS), key=lambda t: (t.mastery, t.tag))
    # At most half the topics are "to revise", so a student with few topics still sees a strongest one.
    weakest = [t for t in ranked[:min(TOPICS_SHOWN, (len(ranked) + 1) // 2)] if t.mastery < MASTERED]
    strongest = [t for t in reversed(ranked) if t not in weakest][:TOPICS_SHOWN]
    summary = cards_summary(student, now)
    due_cards = list(db.session.scalars(
        select(StudyCard).options(joinedload(StudyCard.question))
        .outerjoin(Question, StudyCard.question_id == Question.id)
        .where(StudyCard.user_id == student.id, StudyCard.due <= now,
               or_(StudyCard.kind == CardKind.TERM, Question.status == QuestionStatus.APPROVED))
        .order_by(StudyCard.due, StudyCard.id).limit(DUE_SHOWN)))
    return StudentProgress(student=student, history=history, timeline=attempts, topics=topics, weakest=weakest,
                           strongest=strongest, due=summary.due, cards=summary.total,
                           recall_rate=summary.recall_rate, due_cards=due_cards)


def student_topics(student: User) -> list[Topic]:
    """The student's mastery per topic: quiz answers, practice answers and daily reviews, recent ones
    weighted more."""
    answers: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for tag, when, fraction in db.session.execute(
            select(QuestionTag.tag, Attempt.finished_at, AttemptSlot.fraction)
            .join(Attempt, AttemptSlot.attempt_id == Attempt.id)
            .join(QuestionTag, QuestionTag.question_id == AttemptSlot.question_id)
            .where(Attempt.student_id == student.id, Attempt.status == AttemptStatus.FINISHED,
                   AttemptSlot.fraction.is_not(None))):
        answers[tag].append((when, fraction))
    for tag, when, fraction in db.session.execute(
            select(QuestionTag.tag, PracticeItem.answered_at, PracticeItem.fraction)
            .join(PracticeSession, PracticeItem.session_id == PracticeSession.id)
            .join(QuestionTag, QuestionTag.question_id == PracticeItem.question_id)
            .where(PracticeSession.user_id == student.id, PracticeItem.fraction.is_not(None),
                   PracticeItem.answered_at.is_not(None))):
        answers[tag].append((when, fraction))
    for tag, when, fraction in db.session.execute(
            select(QuestionTag.tag, CardReview.reviewed_at, CardReview.fraction)
            .join(StudyCard, CardReview.card_id == StudyCard.id)
            .join(QuestionTag, QuestionTag.question_id == StudyCard.question_id)
            .where(StudyCard.user_id == student.id, CardReview.source == ReviewSource.REVIEW,
                   CardReview.fraction.is_not(None))):
        answers[tag].append((when, fraction))
    return sorted((Topic(tag=tag, mastery=mastery(found), answers=len(found)) for tag, found in answers.items()),
                  key=lambda t: t.tag)


def practisable_tags(student: User) -> set[str]:
    """The topics a practice session can start on for this student."""
    from quiz.practice.services import practice_options

    return {tag for tag, _ in practice_options(student).tags}


def teaching_classes(teacher: User) -> list[Classroom]:
    """The classes ``teacher`` teaches, newest first."""
    from quiz.classes.services import classes_of

    return classes_of(teacher, MemberRole.TEACHER)
