"""Writing and editing questions by hand, previewing them as a student sees them, and copying them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from question_bank.model import QUESTION_TYPES
from question_bank.models import Passage, Question, QuestionStatus, Source, Unit
from quiz.access import teacher_required
from quiz.bank import bp
from quiz.bank.forms import (
    TYPE_HELP,
    TYPE_LABELS,
    CopyQuestionForm,
    QuestionForm,
    apply_layout,
    question_form_data,
)
from quiz.bank.lookup import editable_question, editable_unit, readable_question
from quiz.bank.services import BankError, copy_question, create_question, own_units, review, update_question
from quiz.extensions import db
from quiz.security import safe_next_url

KEEP_CITATION = -1


def passage_choices(unit: Unit, question: Question | None = None) -> list[tuple[int, str]]:
    """The passages a question of this unit may cite, labelled by reading and paragraph."""
    choices = [(0, "No citation")]
    if question is not None and question.passage_id is None and question.citation:
        title = question.citation.get("title") or question.citation.get("document", "")
        choices.append((KEEP_CITATION, f"Keep the quoted passage from “{title}” (reading deleted)"))
    for source in unit.sources:
        title = (source.title or source.name)[:50]
        for passage in source.passages:
            text = passage.text if len(passage.text) <= 80 else passage.text[:80] + "…"
            choices.append((passage.id, f"{title} ¶{passage.index + 1}: {text}"))
    return choices


def _chosen_passage(form: QuestionForm, unit: Unit) -> Passage | None:
    if form.passage.data in (0, KEEP_CITATION, None):
        return None
    return db.session.scalar(select(Passage).join(Source).where(
        Passage.id == form.passage.data, Source.unit_id == unit.id))


def _editor(form: QuestionForm, unit: Unit, question: Question | None, status: int = 200):
    preview = form.to_plain() if form.preview.data and status == 200 else None
    return render_template("bank/question_form.html", form=form, unit=unit, question=question,
                           preview=preview, next_url=safe_next_url(request.args.get("next"))), status


def _layout_form(unit: Unit, question: Question | None) -> QuestionForm | None:
    """When an add, remove or move button was pressed: the form with its rows changed."""
    action = request.form.get("layout")
    if request.method != "POST" or not action:
        return None
    return QuestionForm(formdata=apply_layout(request.form, action),
                        passages=passage_choices(unit, question))


@bp.route("/units/<int:unit_id>/questions/new", methods=["GET", "POST"])
@teacher_required
def new_question(unit_id: int):
    """Write a question of any type by hand; it starts as a draft."""
    unit = editable_unit(unit_id)
    qtype = request.values.get("type") or request.form.get("qtype")
    if qtype not in QUESTION_TYPES:
        return render_template("bank/type_picker.html", unit=unit, labels=TYPE_LABELS, help=TYPE_HELP), (
            422 if request.method == "POST" else 200)
    laid_out = _layout_form(unit, None)
    if laid_out is not None:
        return _editor(laid_out, unit, None)
    form = QuestionForm(data={"qtype": qtype}, passages=passage_choices(unit))
    if not form.validate_on_submit():
        return _editor(form, unit, None, 422 if form.is_submitted() else 200)
    if form.preview.data:
        return _editor(form, unit, None)
    question = create_question(unit, current_user, form.to_plain(), _chosen_passage(form, unit))
    if form.save_approve.data:
        review(question, current_user, "approve")
    flash("Question saved" + (" and approved." if form.save_approve.data else " as a draft."), "success")
    return redirect(url_for("bank.question", question_id=question.id))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_question(question_id: int):
    """Edit a question; each saved change is a new version in its history."""
    question = editable_question(question_id)
    unit = question.unit
    laid_out = _layout_form(unit, question)
    if laid_out is not None:
        return _editor(laid_out, unit, question)
    plain = question.to_plain()
    start = question.passage_id or (KEEP_CITATION if question.citation else 0)
    form = QuestionForm(data=question_form_data(plain, start), passages=passage_choices(unit, question))
    form.qtype.data = question.type  # the type of a stored question never changes
    if not form.validate_on_submit():
        return _editor(form, unit, question, 422 if form.is_submitted() else 200)
    if form.preview.data:
        return _editor(form, unit, question)
    edited = form.to_plain(current_difficulty=question.difficulty, title=plain.title, feedback=plain.feedback)
    changed = update_question(question, current_user, edited, _chosen_passage(form, unit),
                              keep_citation=form.passage.data == KEEP_CITATION)
    approved = False
    if form.save_approve.data and question.status != QuestionStatus.APPROVED:
        try:
            review(question, current_user, "approve")
            approved = True
        except BankError as error:
            flash(str(error), "error")
    message = f"Saved version {question.version}." if changed else "Nothing had changed."
    flash(message + (" Approved." if approved else ""), "success" if changed or approved else "info")
    return redirect(safe_next_url(request.args.get("next"))
                    or url_for("bank.question", question_id=question.id))


@bp.post("/questions/<int:question_id>/copy")
@teacher_required
def copy_question_view(question_id: int):
    """Copy a question (a shipped one, or one's own) into one of one's own units."""
    question = readable_question(question_id)
    form = CopyQuestionForm()
    form.set_units(own_units(current_user))
    if not form.validate_on_submit():
        flash("Choose one of your units to copy the question into.", "error")
        return redirect(url_for("bank.question", question_id=question.id))
    target = db.session.get(Unit, form.unit.data) if form.unit.data else None
    try:
        copy = copy_question(question, target, current_user)
    except BankError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("bank.question", question_id=question.id))
    flash(f"Copied into “{copy.unit.title}”. This copy is yours to edit.", "success")
    return redirect(url_for("bank.question", question_id=copy.id))
