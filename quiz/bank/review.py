"""The review queue: drafts beside their cited passages, approved, edited or rejected one by one
or all at once."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from question_bank.models import QuestionStatus
from quiz.access import teacher_required
from quiz.bank import bp
from quiz.bank.forms import BulkReviewForm, FilterForm, ReviewForm
from quiz.bank.lookup import editable_question, editable_unit
from quiz.bank.queries import QuestionFilter, facet_counts, fill_filter_choices
from quiz.bank.services import BankError, review, review_many
from quiz.extensions import db
from quiz.security import safe_next_url

REVIEW_PER_PAGE = 10
DONE = {"approve": "Approved", "reject": "Rejected", "retire": "Retired", "restore": "Back in the drafts"}


def _draft_filter(unit_id: int, args) -> QuestionFilter:
    return QuestionFilter.from_args(args, unit=unit_id, status=QuestionStatus.DRAFT.value)


@bp.get("/units/<int:unit_id>/review")
@teacher_required
def review_queue(unit_id: int):
    """A unit's drafts, each beside its cited passage with the answer marked, ten to a page."""
    unit = editable_unit(unit_id)
    flt = _draft_filter(unit.id, request.args)
    form = FilterForm(formdata=None)
    counts = facet_counts(flt, current_user)
    fill_filter_choices(form, flt, current_user, counts)
    page = db.paginate(flt.query(current_user), per_page=REVIEW_PER_PAGE, error_out=False)
    if not page.items and page.page > 1 and page.total:
        return redirect(url_for("bank.review_queue", unit_id=unit.id, page=page.pages,
                                **flt.args(unit=None, status=None)))
    bulk = BulkReviewForm(formdata=None, data={name: getattr(flt, name) or "" for name in
                                               ("source", "type", "tag", "difficulty", "q")})
    return render_template("bank/review.html", unit=unit, flt=flt, form=form, page=page,
                           total=counts["status"].get(QuestionStatus.DRAFT.value, 0),
                           bulk=bulk, review_form=ReviewForm())


@bp.post("/units/<int:unit_id>/review/bulk")
@teacher_required
def bulk_review(unit_id: int):
    """Approve or reject every draft that the queue's current filter shows."""
    unit = editable_unit(unit_id)
    form = BulkReviewForm()
    action = "approve" if form.approve.data else "reject" if form.reject.data else None
    flt = _draft_filter(unit.id, form.data)
    if not form.validate_on_submit() or action is None:
        flash("Choose “Approve all” or “Reject all”.", "error")
        return redirect(url_for("bank.review_queue", unit_id=unit.id, **flt.args(status=None, unit=None)))
    changed = review_many(db.session.scalars(flt.query(current_user)).all(), current_user, action)
    flash(f"{DONE[action]} {changed} questions.", "success")
    return redirect(url_for("bank.review_queue", unit_id=unit.id, **flt.args(status=None, unit=None)))


def _review_one(question_id: int, action: str):
    question = editable_question(question_id)
    form = ReviewForm()
    back = safe_next_url(form.next.data) or url_for("bank.question", question_id=question.id)
    if not form.validate_on_submit():
        flash("The form had expired; please try again.", "error")
        return redirect(back)
    try:
        review(question, current_user, action)
    except BankError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"{DONE[action]}: “{question.stem[:80]}”.", "success")
    return redirect(back)


@bp.post("/questions/<int:question_id>/approve")
@teacher_required
def approve(question_id: int):
    """Approve a question: it may now go into quizzes."""
    return _review_one(question_id, "approve")


@bp.post("/questions/<int:question_id>/reject")
@teacher_required
def reject(question_id: int):
    """Reject a draft: it stays in the bank's history but never reaches a quiz."""
    return _review_one(question_id, "reject")


@bp.post("/questions/<int:question_id>/retire")
@teacher_required
def retire(question_id: int):
    """Retire an approved question: no new quiz will use it."""
    return _review_one(question_id, "retire")


@bp.post("/questions/<int:question_id>/restore")
@teacher_required
def restore(question_id: int):
    """Put a rejected or retired question back among the drafts."""
    return _review_one(question_id, "restore")
