"""Essay and rubric workflows, and the rubric-grading API other features reuse.

Grading any written answer with a rubric (an essay question inside a quiz, say) takes three steps:
``form = rubric_grade_form(rubric, grade)`` for the screen (rendered by
``templates/essays/_rubric_form.html``), then on POST ``grade = grade_with_rubric(rubric,
form.scores(), form.comment.data, grader, grade)`` and the caller's own commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select

from quiz import clock
from quiz.auth.models import User
from quiz.classes.models import Classroom, MemberRole
from quiz.classes.services import membership, roster
from quiz.debates.models import AssignmentKind, Prompt, PromptAssignment
from quiz.debates.text import word_count
from quiz.essays.models import Essay, Rubric, RubricCriterion, RubricGrade, RubricLevel, RubricScore
from quiz.extensions import db

MAX_ESSAY_LENGTH = 60_000
MAX_COMMENT_LENGTH = 10_000

STANDARD_RUBRIC = """\
Argument: takes a clear position and keeps to it
- 1 Beginning: the position is unclear or changes
- 2 Developing: a position is stated but not always followed
- 3 Secure: a clear position runs through the essay
- 4 Excellent: a precise, well-structured argument

Evidence: supports claims with passages from the readings
- 1 Beginning: no evidence from the readings
- 2 Developing: some evidence, loosely connected
- 3 Secure: relevant evidence for the main claims
- 4 Excellent: well-chosen evidence, accurately quoted and explained

Counter-arguments: weighs the other side fairly
- 1 Beginning: the other side is ignored
- 2 Developing: the other side is mentioned
- 3 Secure: the strongest objection is answered
- 4 Excellent: several objections are weighed and answered

Clarity: is easy to follow
- 1 Beginning: hard to follow
- 2 Developing: mostly clear, with lapses
- 3 Secure: clear and organised
- 4 Excellent: clear, concise and well organised
"""

LEVEL_LINE = re.compile(r"^-\s*(-?\d{1,3})\s+([^:]+?)(?::\s*(.*))?$")


class EssayError(Exception):
    """An essay or rubric action that cannot be done, with a message for the user."""


# --------------------------------------------------------------------------- rubrics


@dataclass
class ParsedCriterion:
    title: str
    description: str
    levels: list[tuple[int, str, str]]


def parse_rubric(text: str) -> list[ParsedCriterion]:
    """Criteria and levels from the rubric text (EssayError with the line number when it is malformed).

    Each criterion is a line ``Title: description``, followed by its levels, one per line:
    ``- points Level title: description``.
    """
    criteria: list[ParsedCriterion] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("-"):
            match = LEVEL_LINE.match(line)
            if not match:
                raise EssayError(f"Line {number}: a level reads “- points Title: description”, "
                                 "for example “- 3 Secure: clear evidence”.")
            if not criteria:
                raise EssayError(f"Line {number}: write the criterion before its levels.")
            points, title, description = int(match[1]), match[2].strip(), (match[3] or "").strip()
            if points < 0:
                raise EssayError(f"Line {number}: points cannot be negative.")
            criteria[-1].levels.append((points, title[:120], description))
        else:
            title, _, description = line.partition(":")
            if not title.strip():
                raise EssayError(f"Line {number}: a criterion needs a title before the colon.")
            criteria.append(ParsedCriterion(title.strip()[:200], description.strip(), []))
    if not criteria:
        raise EssayError("A rubric needs at least one criterion with its levels.")
    for criterion in criteria:
        if len(criterion.levels) < 2:
            raise EssayError(f"“{criterion.title}” needs at least two levels.")
    if len(criteria) > 12:
        raise EssayError("A rubric has at most 12 criteria.")
    return criteria


def rubric_text(rubric: Rubric) -> str:
    """A rubric written back as the text teachers edit."""
    blocks = []
    for criterion in rubric.criteria:
        lines = [f"{criterion.title}: {criterion.description}".rstrip(": ")]
        for level in criterion.levels:
            lines.append(f"- {level.points} {level.title}" + (f": {level.description}" if level.description
                                                              else ""))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def save_rubric(rubric: Rubric | None, owner: User, title: str, text: str,
                prompt: Prompt | None = None) -> Rubric:
    """Create or rewrite a teacher's rubric from its text. Rewriting a rubric already used to grade
    keeps the old grades as they were (scores are copied as text)."""
    criteria = parse_rubric(text)
    if rubric is None:
        rubric = Rubric(owner=owner, created_at=clock.now())
        db.session.add(rubric)
    elif rubric.owner_id != owner.id:
        raise EssayError("You can change only your own rubrics.")
    rubric.title, rubric.prompt = title, prompt
    rubric.criteria = [
        RubricCriterion(position=i, title=c.title, description=c.description, levels=[
            RubricLevel(position=j, points=points, title=level, description=description)
            for j, (points, level, description) in enumerate(c.levels)])
        for i, c in enumerate(criteria)]
    db.session.commit()
    return rubric


def standard_rubric(owner: User) -> Rubric:
    """The teacher's copy of the standard four-criterion essay rubric (made on first use)."""
    found = db.session.scalar(select(Rubric).where(Rubric.owner_id == owner.id,
                                                   Rubric.title == "Standard essay rubric"))
    return found or save_rubric(None, owner, "Standard essay rubric", STANDARD_RUBRIC)


def rubrics_of(owner: User) -> list[Rubric]:
    """The teacher's rubrics, by title."""
    return list(db.session.scalars(select(Rubric).where(Rubric.owner_id == owner.id)
                                   .order_by(Rubric.title, Rubric.id)))


def rubric_for(rubric_id: int, user: User) -> Rubric:
    """The teacher's own rubric (404 for anybody else's)."""
    rubric = db.get_or_404(Rubric, rubric_id)
    if rubric.owner_id != user.id:
        abort(404)
    return rubric


# --------------------------------------------------------------------------- grading API


def grade_with_rubric(rubric: Rubric, scores: dict[int, int], comment: str, grader: User,
                      grade: RubricGrade | None = None) -> RubricGrade:
    """Grade with a rubric: ``scores`` maps each criterion id to the chosen level id.

    Returns the new (or updated) RubricGrade with each criterion's level, points and the total.
    The caller commits. Raises EssayError when a criterion is missing or a level is not its own.
    """
    if len(comment or "") > MAX_COMMENT_LENGTH:
        raise EssayError(f"Comments can be up to {MAX_COMMENT_LENGTH:,} characters.")
    rows = []
    for position, criterion in enumerate(rubric.criteria):
        level_id = scores.get(criterion.id)
        level = next((lv for lv in criterion.levels if lv.id == level_id), None)
        if level is None:
            raise EssayError(f"Choose a level for “{criterion.title}”.")
        best = max(lv.points for lv in criterion.levels)
        rows.append(RubricScore(criterion_id=criterion.id, level_id=level.id, position=position,
                                criterion_title=criterion.title, level_title=level.title,
                                points=level.points, max_points=best))
    if grade is None:
        grade = RubricGrade()
        db.session.add(grade)
    grade.rubric, grade.grader, grade.comment = rubric, grader, (comment or "").strip()
    grade.scores = rows
    grade.points = sum(row.points for row in rows)
    grade.max_points = sum(row.max_points for row in rows)
    grade.graded_at = clock.now()
    return grade


# --------------------------------------------------------------------------- essays


def essay_of(assignment: PromptAssignment, student: User) -> Essay | None:
    """The student's essay for the assignment, if started."""
    return db.session.scalar(select(Essay).where(Essay.assignment_id == assignment.id,
                                                 Essay.student_id == student.id))


def save_essay(assignment: PromptAssignment, student: User, body: str, *, submit: bool = False) -> Essay:
    """Save a draft (autosave or the button) or submit it; a submitted essay no longer changes."""
    if assignment.kind != AssignmentKind.ESSAY:
        raise EssayError("This assignment is not an essay.")
    member = membership(assignment.classroom, student)
    if member is None or member.role != MemberRole.STUDENT:
        raise EssayError("Only the class's students write essays.")
    body = (body or "").replace("\r\n", "\n")
    if len(body) > MAX_ESSAY_LENGTH:
        raise EssayError(f"Essays can be up to {MAX_ESSAY_LENGTH:,} characters; this one has {len(body):,}.")
    essay = essay_of(assignment, student)
    if essay is not None and essay.submitted_at is not None:
        raise EssayError("You have already submitted this essay.")
    words = word_count(body)
    if submit:
        if not body.strip():
            raise EssayError("Write your essay before submitting it.")
        if words < assignment.min_words:
            raise EssayError(f"Your essay has {words} words; it needs at least {assignment.min_words}.")
    if essay is None:
        essay = Essay(assignment_id=assignment.id, student=student)
        db.session.add(essay)
    essay.body, essay.word_count, essay.saved_at = body, words, clock.now()
    if submit:
        essay.submitted_at = essay.saved_at
    db.session.commit()
    return essay


def essay_for_grading(essay_id: int, user: User) -> Essay:
    """A submitted essay for one of the class's teachers (404 for others; 403 for students)."""
    essay = db.get_or_404(Essay, essay_id)
    member = membership(essay.assignment.classroom, user)
    if member is None:
        abort(404)
    if member.role != MemberRole.TEACHER:
        abort(403)
    if essay.submitted_at is None:
        abort(404)
    return essay


def grading_rubric(assignment: PromptAssignment) -> Rubric:
    """The assignment's rubric, or the assigning teacher's standard rubric when it has none."""
    if assignment.rubric is None:
        owner = assignment.created_by or assignment.classroom.owner
        assignment.rubric = standard_rubric(owner)
        db.session.commit()
    return assignment.rubric


def grade_essay(essay: Essay, grader: User, scores: dict[int, int], comment: str) -> Essay:
    """A teacher grades (or regrades) a submitted essay with the assignment's rubric."""
    rubric = grading_rubric(essay.assignment)
    essay.grade = grade_with_rubric(rubric, scores, comment, grader, essay.grade)
    db.session.commit()
    return essay


def release_grades(assignment: PromptAssignment) -> int:
    """Show every graded essay's scores and comments to its student; returns how many were released."""
    now = clock.now()
    released = 0
    for essay in db.session.scalars(select(Essay).where(
            Essay.assignment_id == assignment.id, Essay.grade_id.is_not(None),
            Essay.released_at.is_(None))):
        essay.released_at = now
        released += 1
    db.session.commit()
    return released


def reopen_essay(essay: Essay) -> None:
    """Give a submitted essay back to its student as a draft (its grade, if any, is kept hidden)."""
    essay.submitted_at = None
    essay.released_at = None
    db.session.commit()


@dataclass
class EssayRow:
    """A student of the class and their essay for the assignment (None if not started)."""

    student: User
    essay: Essay | None


def essay_rows(assignment: PromptAssignment) -> list[EssayRow]:
    """Each student of the class with their essay, for the teacher's list."""
    essays = {e.student_id: e for e in db.session.scalars(
        select(Essay).where(Essay.assignment_id == assignment.id))}
    return [EssayRow(m.user, essays.get(m.user_id))
            for m in roster(assignment.classroom, MemberRole.STUDENT)]


@dataclass
class EssayGrade:
    """One graded essay, for the gradebook."""

    student: User
    assignment: PromptAssignment
    prompt: Prompt
    points: int
    max_points: int
    released: bool


def essay_grades_for_class(classroom: Classroom) -> list[EssayGrade]:
    """Every graded essay of the class, by assignment then student name (for the gradebook)."""
    essays = db.session.scalars(
        select(Essay).join(PromptAssignment).join(Essay.student)
        .where(PromptAssignment.classroom_id == classroom.id, Essay.grade_id.is_not(None))
        .order_by(PromptAssignment.created_at, PromptAssignment.id, User.display_name, User.id))
    return [EssayGrade(e.student, e.assignment, e.assignment.prompt, e.grade.points, e.grade.max_points,
                       e.released_at is not None) for e in essays]
