"""Bank pages: units, the readings library, readings with their passages, the question browser."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from question_bank.models import Passage, Question, QuestionStatus, Source, SourceKind, Unit
from question_bank.readings import ReadingError
from quiz.access import teacher_required
from quiz.bank import bp
from quiz.bank.forms import (
    DeleteReadingForm,
    FilterForm,
    GenerateForm,
    ReadingForm,
    ReviewForm,
    UnitForm,
)
from quiz.bank.lookup import editable_source, editable_unit, readable_question, readable_source, readable_unit
from quiz.bank.queries import QuestionFilter, facet_counts, fill_filter_choices, readable_unit_ids
from quiz.bank.services import (
    BankError,
    add_pasted_reading,
    add_reading,
    copy_unit,
    create_unit,
    delete_source,
    generate_from_source,
    own_units,
    update_unit,
)
from quiz.extensions import db
from quiz.forms import EmptyForm

QUESTIONS_PER_PAGE = 25
READINGS_PER_PAGE = 25


def status_counts(unit: Unit) -> dict[str, int]:
    """How many questions of the unit have each status."""
    rows = db.session.execute(select(Question.status, func.count()).where(Question.unit_id == unit.id)
                              .group_by(Question.status))
    return {status: count for status, count in rows}


def cited_counts(unit_ids) -> dict[int, int]:
    """For each source of these units, how many questions cite one of its passages."""
    return dict(db.session.execute(
        select(Passage.source_id, func.count(Question.id)).join(Question, Question.passage_id == Passage.id)
        .join(Source).where(Source.unit_id.in_(unit_ids)).group_by(Passage.source_id)).all())


def _status(form) -> int:
    return 422 if form.errors or getattr(form, "group_errors", None) else 200


# --------------------------------------------------------------------------- units


@bp.get("/")
@teacher_required
def index():
    """The units a teacher can use: their own and the shipped ones."""
    units = db.session.scalars(select(Unit).where(Unit.id.in_(readable_unit_ids(current_user)))
                               .order_by(Unit.owner_id.is_(None), Unit.title)).all()
    counts: dict[int, dict[str, int]] = {}
    for unit_id, status, count in db.session.execute(
            select(Question.unit_id, Question.status, func.count())
            .where(Question.unit_id.in_([u.id for u in units])).group_by(Question.unit_id, Question.status)):
        counts.setdefault(unit_id, {})[status] = count
    return render_template("bank/index.html", units=units, counts=counts, copy_form=EmptyForm())


@bp.route("/units/new", methods=["GET", "POST"])
@teacher_required
def new_unit():
    """Start a unit of one's own: a container for readings and questions."""
    form = UnitForm()
    if form.validate_on_submit():
        unit = create_unit(current_user, form.title.data, form.subject.data or "", form.summary.data or "")
        flash(f"Unit “{unit.title}” created. Add a reading to make questions from.", "success")
        return redirect(url_for("bank.unit", unit_id=unit.id))
    return render_template("bank/unit_form.html", form=form, unit=None), _status(form)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_unit(unit_id: int):
    """Change a unit's title, subject or summary."""
    unit = editable_unit(unit_id)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        update_unit(unit, form.title.data, form.subject.data or "", form.summary.data or "")
        flash("Unit details saved.", "success")
        return redirect(url_for("bank.unit", unit_id=unit.id))
    return render_template("bank/unit_form.html", form=form, unit=unit), _status(form)


@bp.post("/units/<int:unit_id>/copy")
@teacher_required
def copy_unit_view(unit_id: int):
    """Copy a unit (a shipped one, usually) into one's own bank to edit it."""
    unit = readable_unit(unit_id)
    if not EmptyForm().validate_on_submit():
        flash("The form had expired; please try again.", "error")
        return redirect(url_for("bank.unit", unit_id=unit.id))
    copied = copy_unit(unit, current_user)
    flash(f"“{unit.title}” is now in your bank, with its readings and questions. Edit it freely.",
          "success")
    return redirect(url_for("bank.unit", unit_id=copied.id))


@bp.get("/units/<int:unit_id>")
@teacher_required
def unit(unit_id: int):
    """A unit: its readings, study notes, glossary, timeline and sources."""
    unit = readable_unit(unit_id)
    readings = [s for s in unit.sources if s.kind == SourceKind.READING]
    notes = [s for s in unit.sources if s.kind == SourceKind.NOTES]
    return render_template("bank/unit.html", unit=unit, readings=readings, notes=notes,
                           cited=cited_counts([unit.id]), counts=status_counts(unit),
                           editable=unit.editable_by(current_user), copy_form=EmptyForm())


# --------------------------------------------------------------------------- readings


@bp.get("/readings")
@teacher_required
def readings():
    """The readings library: every reading the teacher can use, with passage and question counts."""
    query = (select(Source).join(Unit).where(Source.unit_id.in_(readable_unit_ids(current_user)),
                                             Source.kind == SourceKind.READING)
             .order_by(Unit.owner_id.is_(None), Unit.title, Source.published.desc(), Source.id))
    page = db.paginate(query, per_page=READINGS_PER_PAGE, error_out=False)
    ids = [source.id for source in page.items]
    passages = dict(db.session.execute(select(Passage.source_id, func.count()).where(
        Passage.source_id.in_(ids)).group_by(Passage.source_id)).all())
    cited = dict(db.session.execute(
        select(Passage.source_id, func.count(Question.id)).join(Question, Question.passage_id == Passage.id)
        .where(Passage.source_id.in_(ids)).group_by(Passage.source_id)).all())
    return render_template("bank/readings.html", page=page, passages=passages, cited=cited,
                           units=own_units(current_user))


@bp.route("/units/<int:unit_id>/readings/new", methods=["GET", "POST"])
@teacher_required
def new_reading(unit_id: int):
    """Add a reading to a unit: upload a file or paste text."""
    unit = editable_unit(unit_id)
    form = ReadingForm()
    if form.validate_on_submit():
        details = {"title": form.title.data, "publisher": form.publisher.data, "author": form.author.data,
                   "date": form.published.data, "url": form.url.data}
        try:
            if form.text.data and form.text.data.strip():
                source = add_pasted_reading(unit, current_user, form.text.data, form.text_format.data,
                                            **details)
            else:
                upload = form.file.data
                source = add_reading(unit, current_user, upload.read(), upload.filename or "reading.txt",
                                     **details)
        except (ReadingError, BankError) as error:
            db.session.rollback()
            field = form.text if form.text.data and form.text.data.strip() else form.file
            field.errors = [*field.errors, str(error)]
        else:
            flash(f"Added “{source.title or source.name}” with {len(source.passages)} passages. "
                  "Now generate questions from it.", "success")
            return redirect(url_for("bank.source", source_id=source.id, _anchor="generate"))
    return render_template("bank/reading_form.html", form=form, unit=unit), _status(form)


@bp.get("/sources/<int:source_id>")
@teacher_required
def source(source_id: int):
    """A reading with its passages, each listing the questions that cite it."""
    source = readable_source(source_id)
    questions = db.session.scalars(
        select(Question).join(Passage, Question.passage_id == Passage.id)
        .where(Passage.source_id == source.id).order_by(Question.id)).all()
    by_passage: dict[int, list[Question]] = {}
    for question in questions:
        by_passage.setdefault(question.passage_id, []).append(question)
    return render_template("bank/source.html", source=source, unit=source.unit, by_passage=by_passage,
                           question_count=len(questions), editable=source.unit.editable_by(current_user),
                           generate_form=GenerateForm(), delete_form=DeleteReadingForm(),
                           copy_form=EmptyForm())


@bp.post("/sources/<int:source_id>/generate")
@teacher_required
def generate(source_id: int):
    """Generate draft questions from a reading, of the chosen types, then go to review them."""
    source = editable_source(source_id)
    form = GenerateForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("bank.source", source_id=source.id, _anchor="generate"))
    try:
        stored = generate_from_source(source, current_user, form.types.data, form.count.data)
    except (BankError, ValueError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("bank.source", source_id=source.id, _anchor="generate"))
    if not stored:
        flash("No new questions: everything the generator found in this reading is already in the "
              "bank. Try other question types.", "info")
        return redirect(url_for("bank.source", source_id=source.id))
    flash(f"Added {len(stored)} draft questions. Review them: approve, edit or reject each.", "success")
    return redirect(url_for("bank.review_queue", unit_id=source.unit_id, source=source.id))


@bp.post("/sources/<int:source_id>/delete")
@teacher_required
def delete_reading(source_id: int):
    """Delete a reading; its questions keep their quoted citation, or are retired."""
    source = editable_source(source_id)
    form = DeleteReadingForm()
    if not form.validate_on_submit():
        flash("Choose what happens to the questions that cite this reading.", "error")
        return redirect(url_for("bank.source", source_id=source.id))
    unit_id, title = source.unit_id, source.title or source.name
    retire = form.then.data == "retire"
    count = delete_source(source, current_user, retire_questions=retire)
    if count:
        what = "were retired" if retire else "keep the quoted passage as their citation"
        flash(f"Deleted “{title}”. The {count} questions that cited it {what}.", "success")
    else:
        flash(f"Deleted “{title}”.", "success")
    return redirect(url_for("bank.unit", unit_id=unit_id))


# --------------------------------------------------------------------------- questions


def _browse(flt: QuestionFilter, unit: Unit | None):
    form = FilterForm(formdata=None)
    counts = facet_counts(flt, current_user)
    fill_filter_choices(form, flt, current_user, counts)
    page = db.paginate(flt.query(current_user), per_page=QUESTIONS_PER_PAGE, error_out=False)
    total = sum(counts["status"].values()) if not flt.status else counts["status"].get(flt.status, 0)
    return render_template("bank/browse.html", form=form, flt=flt, page=page, unit=unit, total=total,
                           counts=counts, endpoint="bank.questions" if unit else "bank.browse",
                           formats=_formats())


def _formats():
    from question_bank.formats import FORMATS

    return [(name, entry.label) for name, entry in FORMATS.items()]


@bp.get("/questions")
@teacher_required
def browse():
    """The bank browser: every question the teacher can use, filtered, counted and paged."""
    return _browse(QuestionFilter.from_args(request.args), None)


@bp.get("/units/<int:unit_id>/questions")
@teacher_required
def questions(unit_id: int):
    """A unit's questions in the bank browser."""
    unit = readable_unit(unit_id)
    return _browse(QuestionFilter.from_args(request.args, unit=unit.id), unit)


@bp.get("/questions/<int:question_id>")
@teacher_required
def question(question_id: int):
    """One question: as the teacher reviews it, as a student sees it, its citation and history."""
    from quiz.bank.forms import CopyQuestionForm

    question = readable_question(question_id)
    copy_form = CopyQuestionForm()
    copy_form.set_units(own_units(current_user))
    return render_template("bank/question.html", question=question, unit=question.unit,
                           plain=question.to_plain(), editable=question.unit.editable_by(current_user),
                           review_form=ReviewForm(), copy_form=copy_form, statuses=QuestionStatus)
