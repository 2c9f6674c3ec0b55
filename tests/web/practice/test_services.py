"""Practice services: who may practise what, sessions, cards and the scheduler."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select

from question_bank.models import QuestionStatus
from quiz.practice.models import CardReview, PracticeSession, ReviewSource, StudyCard
from quiz.practice.services import (
    DAILY_REVIEW_LIMIT,
    PracticeError,
    answer_item,
    cards_summary,
    due_count,
    next_due_card,
    practice_options,
    rating_for,
    record_question_outcome,
    record_term_outcome,
    start_session,
    units_for_student,
)


def test_students_practise_shipped_units_and_their_teachers_units(people, unit, other_unit, shipped):
    """A student sees the shipped units and their class teacher's, never another teacher's."""
    assert {u.id for u in units_for_student(people["student"])} == {unit.id, shipped.id}
    assert {u.id for u in units_for_student(people["other_student"])} == {other_unit.id, shipped.id}


def test_a_student_in_no_class_practises_only_shipped_units(app, unit, shipped):
    """Without a class, only the shipped units are available."""
    from tests.conftest import make_user

    loner = make_user("loner@example.org", "Lone Student")
    assert [u.id for u in units_for_student(loner)] == [shipped.id]


def test_teachers_practise_the_units_they_can_read(people, unit, other_unit, shipped):
    """A teacher practises their own units and the shipped ones; an admin only the shipped ones."""
    assert {u.id for u in units_for_student(people["teacher"])} == {unit.id, shipped.id}
    assert {u.id for u in units_for_student(people["admin"])} == {shipped.id}


def test_options_count_only_approved_questions_that_grade_themselves(people, unit, shipped):
    """Essays and drafts are left out of the counts; tags are counted per question."""
    options = practice_options(people["student"])
    assert dict((u.id, n) for u, n in options.units) == {unit.id: 6, shipped.id: 1}
    assert dict(options.tags) == {"signing": 2, "vessels": 2}


@pytest.mark.parametrize("length", [5, 10, 20])
def test_a_session_holds_at_most_its_length(people, unit, shipped, clock, length):
    """Each length is honoured when there are enough questions, and capped by what there is."""
    session = start_session(people["student"], [unit.id, shipped.id], [], length, clock.now())
    assert len(session.items) == min(length, 7)
    assert [item.position for item in session.items] == list(range(1, len(session.items) + 1))


def test_a_session_never_includes_essays_drafts_or_foreign_questions(people, unit, other_unit, clock):
    """Only approved, self-graded questions of the chosen unit."""
    session = start_session(people["student"], [unit.id], [], 20, clock.now())
    chosen = {item.question_id for item in session.items}
    assert unit.q["essay"].id not in chosen and unit.q["draft"].id not in chosen
    assert other_unit.q["mcq"].id not in chosen


def test_tags_narrow_the_choice(people, unit, shipped, clock):
    """Topics alone draw from every available unit; with units, from those units only."""
    session = start_session(people["student"], [], ["vessels"], 10, clock.now())
    assert {item.question_id for item in session.items} == {unit.q["tf"].id, unit.q["numeric"].id}
    with pytest.raises(PracticeError, match="No questions match"):
        start_session(people["student"], [shipped.id], ["vessels"], 10, clock.now())


def test_another_teachers_unit_cannot_be_practised(people, unit, other_unit, clock, db):
    """Asking for a unit the student may not see is refused and stores nothing."""
    with pytest.raises(PracticeError):
        start_session(people["student"], [other_unit.id], [], 5, clock.now())
    assert db.session.scalar(select(PracticeSession)) is None


def test_nothing_chosen_or_a_strange_length_is_refused(people, unit, clock):
    """A session needs a unit or topic, and one of the offered lengths."""
    with pytest.raises(PracticeError, match="at least one"):
        start_session(people["student"], [], [], 5, clock.now())
    with pytest.raises(PracticeError, match="length"):
        start_session(people["student"], [unit.id], [], 7, clock.now())


def test_questions_never_met_come_first(people, unit, clock):
    """A student who has met some questions gets the new ones first."""
    student = people["student"]
    for key in ("mcq", "tf", "numeric"):
        record_question_outcome(student, unit.q[key], 1.0, clock.now())
    session = start_session(student, [unit.id], [], 5, clock.now(), rng=random.Random(1))
    first_three = {item.question_id for item in session.items[:3]}
    assert first_three == {unit.q["matching"].id, unit.q["ordering"].id, unit.q["short"].id}


def test_the_session_fixes_each_questions_display_order(people, unit, clock):
    """Choices are shuffled once, when the session starts, and stored."""
    session = start_session(people["student"], [unit.id], ["signing"], 5, clock.now())
    mcq = next(item for item in session.items if item.question_id == unit.q["mcq"].id)
    assert sorted(mcq.order["choices"]) == sorted(["Oslo", "Santiago", "Bergen", "Lima"])


@pytest.mark.parametrize(("fraction", "rating"), [(1.0, Rating.Good), (0.999, Rating.Good),
                                                  (0.75, Rating.Hard), (0.5, Rating.Hard),
                                                  (0.49, Rating.Again), (0.0, Rating.Again)])
def test_rating_follows_the_fraction(fraction, rating):
    """Full marks is Good, half or more Hard, less Again."""
    assert rating_for(fraction) == rating


def test_first_meeting_makes_a_card_and_reviews_it(people, unit, clock, db):
    """The card is created on first meeting and the answer moves its schedule."""
    student = people["student"]
    review = record_question_outcome(student, unit.q["mcq"], 1.0, clock.now())
    card = review.card
    assert card.kind == "question" and card.reps == 1 and review.rating == Rating.Good
    assert review.source == ReviewSource.QUIZ
    assert card.due > clock.now()
    assert card.state["due"] == card.due.isoformat()
    record_question_outcome(student, unit.q["mcq"], 0.0, clock.advance(days=1))
    assert db.session.scalars(select(StudyCard)).all() == [card]
    assert card.reps == 2 and [r.rating for r in card.reviews] == [Rating.Good, Rating.Again]


def test_essays_never_become_cards(people, unit, clock, db):
    """An essay waits for a teacher, so it is not scheduled."""
    assert record_question_outcome(people["student"], unit.q["essay"], 1.0, clock.now()) is None
    assert db.session.scalar(select(StudyCard)) is None


def test_a_wrong_answer_comes_back_sooner_than_a_right_one(people, unit, clock):
    """Again schedules a card sooner than Good."""
    right = record_question_outcome(people["student"], unit.q["mcq"], 1.0, clock.now()).card
    wrong = record_question_outcome(people["student"], unit.q["tf"], 0.0, clock.now()).card
    assert wrong.due < right.due


def test_due_count_moves_with_the_clock(people, unit, clock):
    """Cards answered now are not due now, and are due once their time comes."""
    student = people["student"]
    record_question_outcome(student, unit.q["mcq"], 1.0, clock.now())
    record_question_outcome(student, unit.q["tf"], 1.0, clock.now())
    assert due_count(student, clock.now()) == 0
    assert due_count(student, clock.now() + timedelta(days=60)) == 2
    assert due_count(people["other_student"], clock.now() + timedelta(days=60)) == 0


def test_retired_questions_and_units_of_a_class_left_stop_being_due(people, unit, clock, db):
    """Cards drop out of reviews when their question is retired or the student leaves the class."""
    from quiz.classes.services import leave_class

    student = people["student"]
    record_question_outcome(student, unit.q["mcq"], 1.0, clock.now())
    record_question_outcome(student, unit.q["tf"], 1.0, clock.now())
    later = clock.now() + timedelta(days=60)
    unit.q["mcq"].status = QuestionStatus.RETIRED
    db.session.commit()
    assert due_count(student, later) == 1
    leave_class(student, people["classroom"])
    assert due_count(student, later) == 0


def test_cards_summary_gives_due_total_and_recall(people, unit, clock):
    """Recall is the share of reviews rated Hard or better."""
    student = people["student"]
    assert cards_summary(student, clock.now()).recall_rate is None
    record_question_outcome(student, unit.q["mcq"], 1.0, clock.now())
    record_question_outcome(student, unit.q["tf"], 0.5, clock.now())
    record_question_outcome(student, unit.q["numeric"], 0.0, clock.now())
    record_term_outcome(student, unit, "Decree", True, clock.now())
    summary = cards_summary(student, clock.now() + timedelta(days=60))
    assert (summary.due, summary.total, summary.reviews) == (4, 4, 4)
    assert summary.recall_rate == pytest.approx(0.75)


def test_flashcards_feed_the_same_scheduler(people, unit, clock):
    """Knew it is Good, didn't is Again; a term not in the glossary is refused."""
    student = people["student"]
    knew = record_term_outcome(student, unit, "Ratification", True, clock.now())
    missed = record_term_outcome(student, unit, "Decree", False, clock.now())
    assert (knew.rating, missed.rating) == (Rating.Good, Rating.Again)
    assert knew.card.kind == "term" and knew.card.unit_id == unit.id
    with pytest.raises(PracticeError):
        record_term_outcome(student, unit, "Sanction", True, clock.now())


def test_the_daily_review_stops_at_its_limit(people, unit, clock, db):
    """After the day's limit of reviews, nothing more is offered until the next day."""
    student = people["student"]
    card = record_question_outcome(student, unit.q["mcq"], 0.0, clock.now()).card
    clock.advance(minutes=5)
    for _ in range(DAILY_REVIEW_LIMIT):
        db.session.add(CardReview(card=card, rating=3, source=ReviewSource.REVIEW, reviewed_at=clock.now()))
    db.session.commit()
    assert due_count(student, clock.now()) == 1
    assert next_due_card(student, clock.now()) is None
    clock.advance(days=1)
    assert next_due_card(student, clock.now()) == card


def test_answering_a_practice_question_feeds_the_scheduler_and_ends_the_session(people, unit, clock, db):
    """Practice answers are graded, make cards, and the last one finishes the session."""
    session = start_session(people["student"], [], ["vessels"], 5, clock.now())
    for item in session.items:
        answer = "true" if item.question.type == "true_false" else "41"
        answer_item(item, answer, clock.now())
    assert session.finished_at == clock.now()
    assert sorted(item.fraction for item in session.items) == [0.0, 1.0]
    sources = {review.source for review in db.session.scalars(select(CardReview))}
    assert sources == {ReviewSource.PRACTICE}
    with pytest.raises(PracticeError, match="already answered"):
        answer_item(session.items[0], "true", clock.now())


def test_the_review_day_starts_at_midnight_school_time(app, people, unit, clock, db, monkeypatch):
    """In Auckland, 10:00 UTC is 23:00: two hours later a new school day has begun."""
    monkeypatch.setitem(app.config, "TIMEZONE", "Pacific/Auckland")
    student = people["student"]
    card = record_question_outcome(student, unit.q["mcq"], 0.0, clock.now()).card
    clock.advance(minutes=5)
    for _ in range(DAILY_REVIEW_LIMIT):
        db.session.add(CardReview(card=card, rating=3, source=ReviewSource.REVIEW, reviewed_at=clock.now()))
    db.session.commit()
    assert next_due_card(student, clock.advance(minutes=50)) is None
    assert next_due_card(student, clock.advance(hours=1)) == card
