"""Self-testing workflows: which questions a student may practise, practice sessions, and the
spaced-repetition cards (fsrs) that practice, reviews, flashcards and quizzes all feed.

Quizzes call :func:`record_question_outcome` after grading an attempt, so every approved question
a student has met becomes a card. Nothing here is ever counted in grades.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time

from flask import abort
from fsrs import Card, Rating, Scheduler
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from question_bank.grading import grade
from question_bank.models import Question, QuestionStatus, QuestionTag, Unit
from quiz import clock
from quiz.answering import display_order
from quiz.auth.models import User
from quiz.classes.models import MemberRole, Membership
from quiz.extensions import db
from quiz.practice.models import (
    CardKind,
    CardReview,
    PracticeItem,
    PracticeSession,
    ReviewSource,
    StudyCard,
)
from quiz.templating import school_zone

LENGTHS = (5, 10, 20)
DAILY_REVIEW_LIMIT = 20
"""A short daily review: at most this many due cards a day (the rest wait for tomorrow)."""
EXCLUDED_TYPES = ("essay",)
"""Essays need a teacher to mark them, so practice and reviews leave them out."""


class PracticeError(Exception):
    """A practice action that cannot be done, with a message for the student."""


# --------------------------------------------------------------------------- what may be practised


def units_for_student(user: User) -> list[Unit]:
    """The units ``user`` may practise: shipped units, plus those of the teachers of their classes
    (a teacher: the shipped units and their own)."""
    if user.is_teacher:
        owners = select(User.id).where(User.id == user.id)
    else:
        my_classes = select(Membership.classroom_id).where(Membership.user_id == user.id,
                                                           Membership.role == MemberRole.STUDENT)
        owners = select(Membership.user_id).where(Membership.classroom_id.in_(my_classes),
                                                  Membership.role == MemberRole.TEACHER)
    query = select(Unit).where(or_(Unit.owner_id.is_(None), Unit.owner_id.in_(owners)))
    return list(db.session.scalars(query.order_by(Unit.owner_id.is_not(None), Unit.title, Unit.id)))


def unit_for(unit_id: int, user: User) -> Unit:
    """The unit if ``user`` may practise it, else 404 (a private unit's existence is not told)."""
    unit = db.get_or_404(Unit, unit_id)
    if unit.id not in {u.id for u in units_for_student(user)}:
        abort(404)
    return unit


def _practisable(unit_ids: list[int]):
    """Approved, automatically graded questions of these units."""
    return select(Question).where(Question.unit_id.in_(unit_ids),
                                  Question.status == QuestionStatus.APPROVED,
                                  Question.type.not_in(EXCLUDED_TYPES))


@dataclass
class PracticeOptions:
    """What a student can choose from: units and topic tags, each with its number of questions."""

    units: list[tuple[Unit, int]]
    tags: list[tuple[str, int]]


def practice_options(user: User) -> PracticeOptions:
    """The units and tags ``user`` may practise, with how many questions each offers."""
    units = units_for_student(user)
    ids = [unit.id for unit in units]
    sub = _practisable(ids).subquery()
    per_unit = dict(db.session.execute(select(sub.c.unit_id, func.count()).group_by(sub.c.unit_id)).all())
    per_tag = db.session.execute(
        select(QuestionTag.tag, func.count(func.distinct(QuestionTag.question_id)))
        .join(sub, sub.c.id == QuestionTag.question_id).group_by(QuestionTag.tag)
        .order_by(QuestionTag.tag)).all()
    return PracticeOptions(units=[(unit, per_unit[unit.id]) for unit in units if per_unit.get(unit.id)],
                           tags=[(tag, count) for tag, count in per_tag])


# --------------------------------------------------------------------------- practice sessions


def start_session(user: User, unit_ids: list[int], tags: list[str], length: int, when: datetime,
                  rng: random.Random | None = None) -> PracticeSession:
    """A new session of up to ``length`` questions from the chosen units and/or tags, fixed now.

    Questions the student has never met come first, then those whose review is nearest.
    """
    rng = rng or random.Random()  # noqa: S311 - shuffling questions, not security
    if length not in LENGTHS:
        raise PracticeError(f"Choose a length of {', '.join(map(str, LENGTHS))} questions.")
    if not unit_ids and not tags:
        raise PracticeError("Choose at least one unit or topic to practise.")
    available = [unit.id for unit in units_for_student(user)]
    if set(unit_ids) - set(available):
        raise PracticeError("You cannot practise that unit.")
    query = _practisable(unit_ids or available)
    if tags:
        query = query.where(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag.in_(tags))))
    candidates = list(db.session.scalars(query.order_by(Question.id)))
    if not candidates:
        raise PracticeError("No questions match that choice yet. Choose more units or topics.")
    due_by_question = dict(db.session.execute(
        select(StudyCard.question_id, StudyCard.due).where(
            StudyCard.user_id == user.id, StudyCard.question_id.in_([q.id for q in candidates]))).all())
    rng.shuffle(candidates)
    candidates.sort(key=lambda q: (q.id in due_by_question, due_by_question.get(q.id, when)))
    session = PracticeSession(user=user, length=length, unit_ids=list(unit_ids), tags=list(tags),
                              created_at=when)
    for position, question in enumerate(candidates[:length], start=1):
        order = display_order(question.to_plain(), rng, shuffle=True)
        session.items.append(PracticeItem(position=position, question=question, order=order))
    db.session.add(session)
    db.session.commit()
    return session


def session_for(session_id: int, user: User) -> PracticeSession:
    """The user's own session, else 404."""
    session = db.get_or_404(PracticeSession, session_id)
    if session.user_id != user.id:
        abort(404)
    return session


def item_for(session: PracticeSession, position: int) -> PracticeItem:
    """The session's question at ``position``, else 404."""
    item = next((item for item in session.items if item.position == position), None)
    if item is None:
        abort(404)
    return item


def answer_item(item: PracticeItem, response, when: datetime) -> PracticeItem:
    """Grade a practice answer (already checked against the question), feed the scheduler, and
    finish the session after its last question. ``response`` None means "show me the answer"."""
    if item.answered_at is not None:
        raise PracticeError("You have already answered this question.")
    if item.session.finished_at is not None:
        raise PracticeError("This practice session has ended.")
    plain = item.question.to_plain()
    item.response = response
    item.fraction = grade(plain, response).fraction if response is not None else 0.0
    item.answered_at = when
    record_question_outcome(item.session.user, item.question, item.fraction, when,
                            source=ReviewSource.PRACTICE, response=response, order=item.order, commit=False)
    if item.session.next_item is None:
        item.session.finished_at = when
    db.session.commit()
    return item


def finish_session(session: PracticeSession, when: datetime) -> None:
    """End a session early; questions not answered stay unanswered."""
    if session.finished_at is None:
        session.finished_at = when
        db.session.commit()


def open_sessions(user: User) -> list[PracticeSession]:
    """Sessions the user left part-way, newest first (to resume)."""
    return list(db.session.scalars(
        select(PracticeSession).where(PracticeSession.user_id == user.id,
                                      PracticeSession.finished_at.is_(None))
        .order_by(PracticeSession.created_at.desc(), PracticeSession.id.desc())))


def finished_sessions_query(user: User):
    """The user's finished sessions, newest first (for a paginated list)."""
    return (select(PracticeSession).where(PracticeSession.user_id == user.id,
                                          PracticeSession.finished_at.is_not(None))
            .order_by(PracticeSession.finished_at.desc(), PracticeSession.id.desc()))


# --------------------------------------------------------------------------- cards and the scheduler


def scheduler() -> Scheduler:
    """The fsrs scheduler with its default parameters (90% desired retention)."""
    return Scheduler()


def rating_for(fraction: float) -> Rating:
    """Full marks is Good, at least half is Hard, less is Again."""
    if fraction >= 0.999:
        return Rating.Good
    if fraction >= 0.5:
        return Rating.Hard
    return Rating.Again


def _get_or_create(user: User, when: datetime, **identity) -> StudyCard:
    """The user's card for a question or a term, created (due now) on first meeting."""
    query = select(StudyCard).where(StudyCard.user_id == user.id,
                                    *(getattr(StudyCard, name) == value for name, value in identity.items()))
    card = db.session.scalar(query)
    if card is not None:
        return card
    kind = CardKind.QUESTION if "question_id" in identity else CardKind.TERM
    try:
        with db.session.begin_nested():
            card = StudyCard(user_id=user.id, kind=kind, due=when, state={}, created_at=when, **identity)
            db.session.add(card)
            db.session.flush()
            card.state = Card(card_id=card.id, due=when).to_dict()
    except IntegrityError:  # created by a simultaneous request: use that one
        card = db.session.scalar(query)
    return card


def _fsrs_card(state: dict, card_id: int, when: datetime) -> Card:
    """The fsrs card a stored state holds; a card never reviewed starts due at ``when``."""
    return Card.from_dict(state) if state else Card(card_id=card_id, due=when)


def review_card(card: StudyCard, rating: Rating, when: datetime, source: str, *,
                fraction: float | None = None, response=None, order: dict | None = None) -> CardReview:
    """Move a card's schedule with fsrs and log the review (the caller commits)."""
    state = _fsrs_card(card.state, card.id, when)
    state, _ = scheduler().review_card(state, rating, when)
    card.state = state.to_dict()
    card.due = state.due
    card.reps = (card.reps or 0) + 1
    card.last_review_at = when
    review = CardReview(card=card, rating=int(rating), source=source, fraction=fraction, response=response,
                        order=order or {}, reviewed_at=when)
    db.session.add(review)
    return review


def record_question_outcome(student: User, question: Question, fraction: float, when: datetime, *,
                            source: str = ReviewSource.QUIZ, response=None, order: dict | None = None,
                            commit: bool = True) -> CardReview | None:
    """Feed a graded answer to the student's card for this question (made on first meeting).

    Quizzes call this after grading; pass ``commit=False`` to keep it inside a larger unit of work.
    Essays are marked by teachers and never become cards (returns None).
    """
    if question.type in EXCLUDED_TYPES:
        return None
    card = _get_or_create(student, when, question_id=question.id)
    review = review_card(card, rating_for(fraction), when, source, fraction=fraction, response=response,
                         order=order)
    if commit:
        db.session.commit()
    return review


@dataclass(frozen=True)
class Outcome:
    """A graded answer to feed to the student's card for its question."""

    question_id: int
    question_type: str
    fraction: float
    response: object = None
    order: dict | None = None


def record_question_outcomes(student: User, outcomes: list[Outcome], when: datetime,
                             source: str = ReviewSource.QUIZ) -> None:
    """Feed a whole submitted quiz at once, in a handful of statements whatever its length: one finds the
    student's cards, one adds those met for the first time, one moves the schedules and one logs the reviews.

    The caller commits. Should a card be created at the same moment elsewhere, the answers are fed one by one
    instead.
    """
    outcomes = [outcome for outcome in outcomes if outcome.question_type not in EXCLUDED_TYPES]
    if not outcomes:
        return
    question_ids = list(dict.fromkeys(outcome.question_id for outcome in outcomes))
    columns = (StudyCard.id, StudyCard.question_id, StudyCard.state, StudyCard.reps)
    try:
        with db.session.begin_nested():
            cards = {row.question_id: row for row in db.session.execute(select(*columns).where(
                StudyCard.user_id == student.id, StudyCard.question_id.in_(question_ids)))}
            # Rows are written in the order of their keys, so two submissions touching the same cards take their
            # locks in the same order (PostgreSQL would otherwise find a deadlock and fail one of them).
            new = [{"user_id": student.id, "kind": CardKind.QUESTION, "question_id": question_id, "due": when,
                    "state": {}, "reps": 0, "created_at": when}
                   for question_id in sorted(question_ids) if question_id not in cards]
            if new:
                cards.update((row.question_id, row) for row in db.session.execute(
                    insert(StudyCard).returning(*columns), new))
            states = {question_id: (_fsrs_card(row.state, row.id, when), row.reps or 0)
                      for question_id, row in cards.items()}
            reviews = []
            for outcome in outcomes:
                rating = rating_for(outcome.fraction)
                state, reps = states[outcome.question_id]
                state, _ = scheduler().review_card(state, rating, when)
                states[outcome.question_id] = (state, reps + 1)
                reviews.append({"card_id": cards[outcome.question_id].id, "rating": int(rating), "source": source,
                                "fraction": outcome.fraction, "response": outcome.response,
                                "order": outcome.order or {}, "reviewed_at": when})
            db.session.execute(update(StudyCard), sorted((
                {"id": cards[question_id].id, "state": state.to_dict(), "due": state.due, "reps": reps,
                 "last_review_at": when} for question_id, (state, reps) in states.items()), key=lambda row: row["id"]))
            db.session.execute(insert(CardReview), reviews)
    except IntegrityError:
        for outcome in outcomes:
            record_question_outcome(student, db.session.get(Question, outcome.question_id), outcome.fraction, when,
                                    source=source, response=outcome.response, order=outcome.order, commit=False)


def glossary_terms(unit: Unit) -> list[dict]:
    """The unit's glossary terms that have both a term and a definition."""
    return [entry for entry in (unit.glossary or [])
            if isinstance(entry, dict) and entry.get("term") and entry.get("definition")]


def record_term_outcome(student: User, unit: Unit, term: str, knew: bool, when: datetime,
                        source: str = ReviewSource.FLASHCARDS) -> CardReview:
    """A self-rated flashcard: "knew it" is Good, "didn't" is Again."""
    if term not in {entry["term"] for entry in glossary_terms(unit)}:
        raise PracticeError("That term is not in this unit's glossary.")
    card = _get_or_create(student, when, unit_id=unit.id, term=term[:200])
    review = review_card(card, Rating.Good if knew else Rating.Again, when, source)
    db.session.commit()
    return review


# --------------------------------------------------------------------------- due reviews


def _live_cards(user: User):
    """The user's cards whose question or unit they may still study (retired questions, and units of
    a class they left, drop out without losing their history)."""
    unit_ids = [unit.id for unit in units_for_student(user)]
    live_questions = select(Question.id).where(Question.unit_id.in_(unit_ids),
                                               Question.status == QuestionStatus.APPROVED,
                                               Question.type.not_in(EXCLUDED_TYPES))
    return select(StudyCard).where(
        StudyCard.user_id == user.id,
        or_(and_(StudyCard.kind == CardKind.QUESTION, StudyCard.question_id.in_(live_questions)),
            and_(StudyCard.kind == CardKind.TERM, StudyCard.unit_id.in_(unit_ids))))


def due_count(student: User, when: datetime) -> int:
    """How many of the student's cards are due at ``when``."""
    sub = _live_cards(student).where(StudyCard.due <= when).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


def start_of_day(when: datetime) -> datetime:
    """Midnight of ``when``'s day in the school's time zone, as UTC: the daily limit counts from here."""
    zone = school_zone()
    midnight = datetime.combine(when.astimezone(zone).date(), time(0), tzinfo=zone)
    return midnight.astimezone(UTC)


def reviewed_today(student: User, when: datetime) -> int:
    """Cards the student has reviewed in the daily review since midnight (school time)."""
    return db.session.scalar(
        select(func.count(CardReview.id)).join(StudyCard).where(
            StudyCard.user_id == student.id, CardReview.source == ReviewSource.REVIEW,
            CardReview.reviewed_at >= start_of_day(when))) or 0


def next_due_card(student: User, when: datetime) -> StudyCard | None:
    """The card to review now: the longest overdue, unless today's review is done."""
    if reviewed_today(student, when) >= DAILY_REVIEW_LIMIT:
        return None
    return db.session.scalar(_live_cards(student).where(StudyCard.due <= when)
                             .order_by(StudyCard.due, StudyCard.id).limit(1))


def card_for(card_id: int, user: User) -> StudyCard:
    """The user's own card, else 404."""
    card = db.get_or_404(StudyCard, card_id)
    if card.user_id != user.id:
        abort(404)
    return card


def review_for(review_id: int, user: User) -> CardReview:
    """One of the user's own reviews, else 404."""
    review = db.get_or_404(CardReview, review_id)
    if review.card.user_id != user.id:
        abort(404)
    return review


def review_order(card: StudyCard) -> dict:
    """How a question card's parts are shown in the daily review: shuffled, but the same at every
    request for the same review, so the answer reads back against what was shown."""
    rng = random.Random(f"{card.id}:{card.reps}")  # noqa: S311 - display order, not security
    return display_order(card.question.to_plain(), rng, shuffle=True)


def _check_due(card: StudyCard, student: User, when: datetime) -> None:
    """Refuse a review of a card that is not due, no longer studied, or past today's limit."""
    if reviewed_today(student, when) >= DAILY_REVIEW_LIMIT:
        raise PracticeError("That is all for today's review. Come back tomorrow.")
    live = db.session.scalar(_live_cards(student).where(StudyCard.id == card.id, StudyCard.due <= when))
    if live is None:
        raise PracticeError("That card is not due for review now.")


def review_question_card(card: StudyCard, student: User, response, when: datetime) -> CardReview:
    """Grade the daily review's answer to a question card and reschedule it."""
    _check_due(card, student, when)
    order = review_order(card)
    fraction = grade(card.question.to_plain(), response).fraction if response is not None else 0.0
    review = review_card(card, rating_for(fraction), when, ReviewSource.REVIEW, fraction=fraction,
                         response=response, order=order)
    db.session.commit()
    return review


def review_term_card(card: StudyCard, student: User, knew: bool, when: datetime) -> CardReview:
    """A self-rated flashcard in the daily review."""
    _check_due(card, student, when)
    review = review_card(card, Rating.Good if knew else Rating.Again, when, ReviewSource.REVIEW)
    db.session.commit()
    return review


def term_entry(card: StudyCard) -> dict | None:
    """A term card's glossary entry (None if the unit's glossary no longer has it)."""
    return next((entry for entry in glossary_terms(card.unit) if entry["term"] == card.term), None)


def deck_cards(student: User, unit: Unit) -> dict[str, StudyCard]:
    """The student's flashcards for a unit's terms, by term."""
    cards = db.session.scalars(select(StudyCard).where(StudyCard.user_id == student.id,
                                                       StudyCard.unit_id == unit.id))
    return {card.term: card for card in cards}


# --------------------------------------------------------------------------- summaries


@dataclass
class CardsSummary:
    """A student's cards at a glance (for the dashboard and, later, their teachers)."""

    due: int
    total: int
    reviews: int
    recall_rate: float | None
    """The share of reviews rated Hard or better; None before the first review."""


def cards_summary(student: User, when: datetime | None = None) -> CardsSummary:
    """Due and total cards, and the recall rate over every review."""
    when = when or clock.now()
    total = db.session.scalar(select(func.count()).select_from(_live_cards(student).subquery())) or 0
    reviews, recalled = db.session.execute(
        select(func.count(CardReview.id),
               func.count(CardReview.id).filter(CardReview.rating >= int(Rating.Hard)))
        .join(StudyCard).where(StudyCard.user_id == student.id)).one()
    return CardsSummary(due=due_count(student, when), total=total, reviews=reviews,
                        recall_rate=(recalled / reviews) if reviews else None)
