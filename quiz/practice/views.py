"""Practice pages: practice sessions, the daily review and glossary flashcards."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from question_bank.grading import ResponseError, question_type
from quiz import clock
from quiz.answering import response_from_form
from quiz.extensions import db
from quiz.practice import bp
from quiz.practice.forms import AnswerForm, RateForm, StartForm
from quiz.practice.models import CardKind, PracticeItem
from quiz.practice.services import (
    DAILY_REVIEW_LIMIT,
    PracticeError,
    answer_item,
    card_for,
    deck_cards,
    due_count,
    finish_session,
    finished_sessions_query,
    glossary_terms,
    item_for,
    next_due_card,
    open_sessions,
    practice_options,
    record_term_outcome,
    review_for,
    review_order,
    review_question_card,
    review_term_card,
    reviewed_today,
    session_for,
    start_session,
    term_entry,
    unit_for,
    units_for_student,
)

SESSIONS_PER_PAGE = 10
PREFIX = "answer"
"""The name of the answer inputs: one question per page."""
BLANK = "Choose or type an answer, or press “Show me the answer”."


def _start_form() -> tuple[StartForm, object]:
    options = practice_options(current_user)
    form = StartForm()
    form.units.choices = [SelectChoice(unit.id, f"{unit.title} ({count} questions)")
                          for unit, count in options.units]
    form.tags.choices = [SelectChoice(tag, f"{tag} ({count})") for tag, count in options.tags]
    return form, options


def _index_page(form: StartForm, options, status: int = 200):
    when = clock.now()
    decks = [(unit, len(glossary_terms(unit))) for unit in units_for_student(current_user)]
    page = db.paginate(finished_sessions_query(current_user), per_page=SESSIONS_PER_PAGE, error_out=False)
    return render_template("practice/index.html", form=form, options=options,
                           due=due_count(current_user, when), open_sessions=open_sessions(current_user),
                           decks=[(unit, count) for unit, count in decks if count], page=page), status


@bp.get("/")
@login_required
def index():
    """Start practising, resume a session, review due cards or open a unit's flashcards."""
    form, options = _start_form()
    return _index_page(form, options)


@bp.post("/sessions")
@login_required
def start():
    """Start a practice session from the chosen units and/or topics."""
    form, options = _start_form()
    if form.validate_on_submit():
        try:
            session = start_session(current_user, form.units.data, form.tags.data, form.length.data,
                                    clock.now())
        except PracticeError as error:
            form.form_errors.append(str(error))
        else:
            return redirect(url_for("practice.question", session_id=session.id, position=1))
    return _index_page(form, options, 422)


@bp.get("/sessions/<int:session_id>")
@login_required
def resume(session_id: int):
    """Carry on where the session was left: the next unanswered question, or the summary."""
    session = session_for(session_id, current_user)
    item = session.next_item
    if session.finished_at is not None or item is None:
        return redirect(url_for("practice.summary", session_id=session.id))
    return redirect(url_for("practice.question", session_id=session.id, position=item.position))


def _question_page(item: PracticeItem, form: AnswerForm, response=None, error: str = "", status: int = 200):
    return render_template("practice/question.html", session=item.session, item=item,
                           q=item.question.to_plain(), form=form, prefix=PREFIX, response=response,
                           error=error), status


def _read_answer(plain, form: AnswerForm, order: dict):
    """The response the page sent: (response, None), or (None, error message and status)."""
    if form.give_up.data:
        return None, None
    try:
        response = response_from_form(plain, request.form, PREFIX, order)
    except ResponseError as error:
        return None, (f"That answer cannot be read: {error}.", 400)
    if response is None:
        return None, (BLANK, 422)
    return response, None


@bp.route("/sessions/<int:session_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(session_id: int, position: int):
    """One question of a session; once answered, its feedback."""
    session = session_for(session_id, current_user)
    item = item_for(session, position)
    if item.answered_at is not None:
        if request.method == "POST":
            flash("You have already answered that question.", "info")
            return redirect(url_for("practice.question", session_id=session.id, position=position))
        return render_template("practice/feedback.html", session=session, item=item,
                               question=item.question, q=item.question.to_plain(), prefix=PREFIX,
                               response=item.response, order=item.order, fraction=item.fraction,
                               correct=_correct(item.question.to_plain()), next_item=session.next_item)
    if session.finished_at is not None:
        return redirect(url_for("practice.summary", session_id=session.id))
    form = AnswerForm()
    if request.method == "GET":
        return _question_page(item, form)
    if not form.validate_on_submit():
        abort(400)
    response, problem = _read_answer(item.question.to_plain(), form, item.order)
    if problem:
        return _question_page(item, form, error=problem[0], status=problem[1])
    try:
        answer_item(item, response, clock.now())
    except PracticeError as error:
        flash(str(error), "error")
    return redirect(url_for("practice.question", session_id=session.id, position=position))


def _correct(plain):
    return question_type(plain).correct_response(plain)


@bp.get("/sessions/<int:session_id>/summary")
@login_required
def summary(session_id: int):
    """How the session went, question by question."""
    session = session_for(session_id, current_user)
    return render_template("practice/summary.html", session=session, form=AnswerForm())


@bp.post("/sessions/<int:session_id>/finish")
@login_required
def finish(session_id: int):
    """End a session before its last question."""
    session = session_for(session_id, current_user)
    if AnswerForm().validate_on_submit():
        finish_session(session, clock.now())
        flash("Practice session ended.", "info")
    return redirect(url_for("practice.summary", session_id=session.id))


@bp.get("/review")
@login_required
def review():
    """Today's review: the next due card, or "all done for today"."""
    when = clock.now()
    card = next_due_card(current_user, when)
    if card is None:
        return render_template("practice/review_done.html", done=reviewed_today(current_user, when),
                               waiting=due_count(current_user, when), limit=DAILY_REVIEW_LIMIT)
    return _review_page(card)


def _review_page(card, form=None, response=None, error: str = "", status: int = 200):
    when = clock.now()
    progress = {"done": reviewed_today(current_user, when), "due": due_count(current_user, when),
                "limit": DAILY_REVIEW_LIMIT}
    if card.kind == CardKind.QUESTION:
        return render_template("practice/review_question.html", card=card, q=card.question.to_plain(),
                               order=review_order(card), prefix=PREFIX, form=form or AnswerForm(),
                               response=response, error=error, progress=progress), status
    return render_template("practice/review_term.html", card=card, entry=term_entry(card),
                           show=request.args.get("show") == "1", form=form or RateForm(),
                           progress=progress), status


@bp.post("/review/cards/<int:card_id>")
@login_required
def review_card(card_id: int):
    """Answer (a question card) or rate (a flashcard) the card under review."""
    card = card_for(card_id, current_user)
    when = clock.now()
    try:
        if card.kind == CardKind.QUESTION:
            form = AnswerForm()
            if not form.validate_on_submit():
                abort(400)
            response, problem = _read_answer(card.question.to_plain(), form, review_order(card))
            if problem:
                return _review_page(card, form, error=problem[0], status=problem[1])
            result = review_question_card(card, current_user, response, when)
            return redirect(url_for("practice.review_answer", review_id=result.id))
        form = RateForm()
        if not form.validate_on_submit() or not (form.knew.data or form.missed.data):
            abort(400)
        review_term_card(card, current_user, bool(form.knew.data), when)
    except PracticeError as error:
        flash(str(error), "info")
    return redirect(url_for("practice.review"))


@bp.get("/review/answers/<int:review_id>")
@login_required
def review_answer(review_id: int):
    """The feedback on a question card answered in the daily review."""
    result = review_for(review_id, current_user)
    card = result.card
    if card.kind != CardKind.QUESTION:
        abort(404)
    plain = card.question.to_plain()
    return render_template("practice/review_feedback.html", result=result, card=card, question=card.question,
                           q=plain, prefix=PREFIX, response=result.response, order=result.order,
                           fraction=result.fraction, correct=_correct(plain))


@bp.route("/flashcards/<int:unit_id>", methods=["GET", "POST"])
@login_required
def flashcards(unit_id: int):
    """A unit's glossary as flashcards: term → definition (or the reverse), then "knew it" or not."""
    unit = unit_for(unit_id, current_user)
    terms = glossary_terms(unit)
    form = RateForm()
    if request.method == "POST":
        if not form.validate_on_submit() or not (form.knew.data or form.missed.data):
            abort(400)
        try:
            index = int(form.term.data)
        except (TypeError, ValueError):
            abort(400)
        if not 0 <= index < len(terms):
            abort(400)
        direction = "reverse" if form.direction.data == "reverse" else "forward"
        try:
            record_term_outcome(current_user, unit, terms[index]["term"], bool(form.knew.data), clock.now())
        except PracticeError as error:
            flash(str(error), "error")
        return redirect(url_for("practice.flashcards", unit_id=unit.id, i=index + 1, direction=direction))
    index = request.args.get("i", default=0, type=int)
    if terms and not 0 <= index <= len(terms):
        abort(404)
    direction = "reverse" if request.args.get("direction") == "reverse" else "forward"
    form.term.data, form.direction.data = str(index), direction
    return render_template("practice/flashcards.html", unit=unit, terms=terms, index=index,
                           entry=terms[index] if index < len(terms) else None, direction=direction,
                           show=request.args.get("show") == "1", form=form,
                           cards=deck_cards(current_user, unit), now=clock.now())
