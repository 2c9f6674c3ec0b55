"""Bank pages: units, their readings with passages, and their questions."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from question_bank.models import Passage, Question, QuestionStatus, Source, SourceKind, Unit
from quiz.access import teacher_required
from quiz.bank import bp
from quiz.extensions import db

QUESTIONS_PER_PAGE = 25


def readable_unit(unit_id: int) -> Unit:
    """The unit if the current teacher may read it (their own or a shipped one), else 404."""
    unit = db.get_or_404(Unit, unit_id)
    if not unit.readable_by(current_user):
        abort(404)
    return unit


def readable_units_query():
    return select(Unit).where(or_(Unit.owner_id.is_(None), Unit.owner_id == current_user.id))


def status_counts(unit: Unit) -> dict[str, int]:
    rows = db.session.execute(select(Question.status, func.count()).where(Question.unit_id == unit.id)
                              .group_by(Question.status))
    return {status: count for status, count in rows}


@bp.get("/")
@teacher_required
def index():
    """The units a teacher can use: the shipped ones and their own."""
    units = db.session.scalars(readable_units_query().order_by(Unit.owner_id.is_not(None), Unit.title)).all()
    counts = dict(db.session.execute(
        select(Question.unit_id, func.count()).where(Question.unit_id.in_([u.id for u in units]))
        .group_by(Question.unit_id)).all())
    return render_template("bank/index.html", units=units, counts=counts)


@bp.get("/units/<int:unit_id>")
@teacher_required
def unit(unit_id: int):
    """A unit: its study notes, glossary, timeline, sources and readings."""
    unit = readable_unit(unit_id)
    readings = [s for s in unit.sources if s.kind == SourceKind.READING]
    notes = [s for s in unit.sources if s.kind == SourceKind.NOTES]
    cited = dict(db.session.execute(
        select(Passage.source_id, func.count(Question.id)).join(Question, Question.passage_id == Passage.id)
        .join(Source).where(Source.unit_id == unit.id).group_by(Passage.source_id)).all())
    return render_template("bank/unit.html", unit=unit, readings=readings, notes=notes, cited=cited,
                           counts=status_counts(unit))


@bp.get("/sources/<int:source_id>")
@teacher_required
def source(source_id: int):
    """A reading with its passages, each listing the questions that cite it."""
    source = db.get_or_404(Source, source_id)
    if not source.unit.readable_by(current_user):
        abort(404)
    questions = db.session.scalars(
        select(Question).join(Passage, Question.passage_id == Passage.id)
        .where(Passage.source_id == source.id).order_by(Question.id)).all()
    by_passage: dict[int, list[Question]] = {}
    for question in questions:
        by_passage.setdefault(question.passage_id, []).append(question)
    return render_template("bank/source.html", source=source, unit=source.unit, by_passage=by_passage)


@bp.get("/units/<int:unit_id>/questions")
@teacher_required
def questions(unit_id: int):
    """A unit's questions, filtered by status and type, a page at a time."""
    unit = readable_unit(unit_id)
    status = request.args.get("status", "")
    qtype = request.args.get("type", "")
    query = select(Question).where(Question.unit_id == unit.id)
    if status in QuestionStatus.__members__.values():
        query = query.where(Question.status == status)
    if qtype:
        query = query.where(Question.type == qtype)
    page = db.paginate(query.order_by(Question.confidence.desc(), Question.id),
                       per_page=QUESTIONS_PER_PAGE, error_out=False)
    return render_template("bank/questions.html", unit=unit, page=page, status=status, qtype=qtype,
                           counts=status_counts(unit))


@bp.get("/questions/<int:question_id>")
@teacher_required
def question(question_id: int):
    """One question with its citation and history."""
    question = db.get_or_404(Question, question_id)
    if not question.unit.readable_by(current_user):
        abort(404)
    return render_template("bank/question.html", question=question, unit=question.unit)
