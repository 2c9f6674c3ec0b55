"""Moving questions to and from Moodle and other Debrief sites: GIFT, Aiken and Debrief JSON."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from question_bank.formats import FORMATS
from quiz.access import teacher_required
from quiz.bank import bp
from quiz.bank.forms import ImportForm
from quiz.bank.lookup import editable_unit
from quiz.bank.queries import QuestionFilter
from quiz.bank.services import BankError, export_questions, import_questions, slugify
from quiz.extensions import db

EXPORT_NAMES = {"json": "json", "gift": "gift", "aiken": "txt"}


@bp.route("/units/<int:unit_id>/import", methods=["GET", "POST"])
@teacher_required
def import_file(unit_id: int):
    """Import a GIFT, Aiken or Debrief JSON file into a unit as drafts: all or nothing."""
    unit = editable_unit(unit_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_questions(unit, current_user, upload.read(), upload.filename or "questions",
                                      form.format.data or None)
        except BankError as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(error)]
        else:
            skipped = (f" {result.duplicates} were already in the unit and were skipped."
                       if result.duplicates else "")
            flash(f"Imported {len(result.added)} questions from {FORMATS[result.fmt].label} as drafts."
                  f"{skipped}", "success")
            if result.added:
                return redirect(url_for("bank.review_queue", unit_id=unit.id))
            return redirect(url_for("bank.questions", unit_id=unit.id))
    return render_template("bank/import.html", form=form, unit=unit), 422 if form.errors else 200


@bp.get("/export")
@teacher_required
def export():
    """Download the questions a bank filter shows, as GIFT, Aiken or Debrief JSON."""
    fmt = request.args.get("format", "gift")
    flt = QuestionFilter.from_args(request.args)
    back = url_for("bank.browse", **flt.args())
    if fmt not in FORMATS:
        flash("Choose GIFT, Aiken or Debrief JSON to export.", "error")
        return redirect(back)
    questions = db.session.scalars(flt.query(current_user)).all()
    if not questions:
        flash("There are no questions to export with these filters.", "info")
        return redirect(back)
    try:
        text, left_out = export_questions(questions, fmt)
    except BankError as error:
        flash(str(error), "error")
        return redirect(back)
    name = "debrief-questions"
    if flt.unit is not None:
        name = slugify(questions[0].unit.title)
    response = Response(text, mimetype=FORMATS[fmt].media_type + "; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{EXPORT_NAMES[fmt]}"'
    response.headers["X-Debrief-Left-Out"] = str(left_out)
    return response
