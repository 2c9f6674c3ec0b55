"""Quiz workflows: build, assign, start, autosave, submit, grade and review.

Every function that changes an attempt first brings it up to date with the clock (``refresh``): an
attempt whose time is up is finished and graded with what was saved, on whatever request touches it.
Finishing is a conditional update (``in_progress`` → ``finished``), so a double click, a resent form or
two tabs can only ever finish and grade an attempt once.
"""

from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from question_bank.grading import ResponseError, check_response, grade
from question_bank.models import Question, QuestionStatus, QuestionTag, Unit
from quiz import clock
from quiz.answering import display_order
from quiz.auth.models import User
from quiz.classes.models import Classroom, MemberRole, Membership
from quiz.classes.services import is_teacher_of, membership
from quiz.database import take_write_turn
from quiz.extensions import db
from quiz.quizzes.models import (
    Accommodation,
    Assignment,
    Attempt,
    AttemptSlot,
    AttemptStatus,
    GradingMethod,
    Quiz,
    QuizItem,
    QuizRule,
    ReviewWhen,
)


class QuizError(Exception):
    """Something a teacher or student asked for that cannot be done; the message says why."""


class AttemptClosed(QuizError):
    """The attempt is finished or its time is up: the answer was not saved."""


# --------------------------------------------------------------------------- access


def quiz_for(quiz_id: int, teacher: User) -> Quiz:
    """The teacher's own quiz (404 for anyone else's)."""
    quiz = db.get_or_404(Quiz, quiz_id)
    if quiz.owner_id != teacher.id:
        abort(404)
    return quiz


def assignment_for(assignment_id: int, user: User) -> tuple[Assignment, bool]:
    """The assignment and whether ``user`` teaches its class; 404 unless they are in the class."""
    assignment = db.get_or_404(Assignment, assignment_id)
    member = membership(assignment.classroom, user)
    if member is None:
        abort(404)
    return assignment, member.role == MemberRole.TEACHER


def attempt_for(attempt_id: int, user: User, *, with_slots: bool = True) -> tuple[Attempt, bool]:
    """The attempt for its student, or for a teacher of its class (then True); 404 for anyone else.

    The attempt comes with its assignment and quiz in the same query, and its slots in a second, as every
    page of an attempt needs them; ``with_slots=False`` leaves the slots until they are asked for.
    """
    query = select(Attempt).where(Attempt.id == attempt_id).options(
        joinedload(Attempt.assignment).joinedload(Assignment.quiz))
    if with_slots:
        query = query.options(selectinload(Attempt.slots))
    attempt = db.session.scalar(query)
    if attempt is None:
        abort(404)
    if attempt.student_id == user.id:
        return attempt, False
    if is_teacher_of(attempt.assignment.classroom, user):
        return attempt, True
    abort(404)


def bank_questions_for(teacher: User):
    """A query of the approved questions a teacher may put in a quiz: their own and the shipped units'."""
    return (select(Question).join(Unit, Question.unit_id == Unit.id)
            .where(Question.status == QuestionStatus.APPROVED,
                   or_(Unit.owner_id.is_(None), Unit.owner_id == teacher.id)))


# --------------------------------------------------------------------------- building


QUIZ_FIELDS = ("title", "instructions", "time_limit_minutes", "opens_at", "closes_at", "attempts_allowed",
               "grading_method", "shuffle_questions", "shuffle_choices", "questions_per_page", "pass_mark",
               "review_when", "review_score", "review_answers", "review_correct", "review_explanations")


def _check_window(opens: datetime | None, closes: datetime | None) -> None:
    if opens and closes and closes <= opens:
        raise QuizError("The closing time must be after the opening time.")


def create_quiz(teacher: User, **settings) -> Quiz:
    """A new quiz owned by the teacher."""
    _check_window(settings.get("opens_at"), settings.get("closes_at"))
    quiz = Quiz(owner=teacher, **{k: v for k, v in settings.items() if k in QUIZ_FIELDS})
    db.session.add(quiz)
    db.session.commit()
    return quiz


def has_attempts(quiz: Quiz) -> bool:
    """True once any student has started the quiz."""
    return db.session.scalar(select(func.count(Attempt.id)).join(Assignment)
                             .where(Assignment.quiz_id == quiz.id)) > 0


def update_quiz(quiz: Quiz, **settings) -> None:
    """Change settings; attempts already started keep the questions they were given."""
    _check_window(settings.get("opens_at"), settings.get("closes_at"))
    for key, value in settings.items():
        if key in QUIZ_FIELDS:
            setattr(quiz, key, value)
    db.session.commit()


def add_questions(quiz: Quiz, teacher: User, question_ids: list[int], marks: float = 1.0) -> int:
    """Add approved questions the teacher may use; ones already in the quiz are skipped. Returns how many."""
    allowed = db.session.scalars(bank_questions_for(teacher).where(Question.id.in_(question_ids))).all()
    if len(allowed) != len(set(question_ids)):
        raise QuizError("Only approved questions from your units or the shipped units can be added.")
    present = {item.question_id for item in quiz.items}
    position = max((item.position for item in quiz.items), default=0)
    added = 0
    for question in sorted(allowed, key=lambda q: question_ids.index(q.id)):
        if question.id in present:
            continue
        position += 1
        quiz.items.append(QuizItem(question=question, position=position, marks=marks))
        added += 1
    db.session.commit()
    return added


def remove_item(quiz: Quiz, item_id: int) -> None:
    """Take a hand-picked question out of the quiz."""
    item = next((i for i in quiz.items if i.id == item_id), None)
    if item is None:
        abort(404)
    quiz.items.remove(item)
    db.session.commit()


def move_item(quiz: Quiz, item_id: int, direction: str) -> None:
    """Move a question one place up or down."""
    items = list(quiz.items)
    index = next((n for n, i in enumerate(items) if i.id == item_id), None)
    if index is None:
        abort(404)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, items[index].position
        db.session.commit()


def rule_candidates(teacher: User, rule: QuizRule):
    """The query of questions a random rule may draw from."""
    query = bank_questions_for(teacher).where(Question.type != "essay",
                                              Question.difficulty >= rule.difficulty_min,
                                              Question.difficulty <= rule.difficulty_max)
    if rule.unit_id:
        query = query.where(Question.unit_id == rule.unit_id)
    if rule.types:
        query = query.where(Question.type.in_(rule.types))
    if rule.tags:
        query = query.where(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag.in_(rule.tags))))
    return query


def add_rule(quiz: Quiz, teacher: User, *, count: int, unit_id: int | None = None, tags: list[str] | None = None,
             types: list[str] | None = None, difficulty_min: float = 0.0, difficulty_max: float = 1.0,
             marks: float = 1.0) -> QuizRule:
    """Add "N random approved questions matching ..."; refuses a rule that cannot be filled."""
    if difficulty_min > difficulty_max:
        raise QuizError("The lowest difficulty must not be above the highest.")
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or not unit.readable_by(teacher):
            raise QuizError("Choose one of your units or a shipped unit.")
    position = max((rule.position for rule in quiz.rules), default=0) + 1
    rule = QuizRule(position=position, count=count, unit_id=unit_id, tags=tags or [], types=types or [],
                    difficulty_min=difficulty_min, difficulty_max=difficulty_max, marks=marks)
    available = db.session.scalar(select(func.count()).select_from(rule_candidates(teacher, rule).subquery()))
    if available < count:
        raise QuizError(f"Only {available} approved questions match; ask for at most that many.")
    quiz.rules.append(rule)
    db.session.commit()
    return rule


def remove_rule(quiz: Quiz, rule_id: int) -> None:
    """Take a random rule out of the quiz."""
    rule = next((r for r in quiz.rules if r.id == rule_id), None)
    if rule is None:
        abort(404)
    quiz.rules.remove(rule)
    db.session.commit()


def draw_questions(quiz: Quiz, rng: random.Random) -> list[tuple[Question, float]]:
    """The questions one attempt gets: the chosen ones, then each rule's random draw (no repeats)."""
    # The chosen questions and their tags in two queries, not two per question (a class starts at once).
    chosen = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_([item.question_id for item in quiz.items]))
        .options(selectinload(Question.tag_rows)))}
    drawn: list[tuple[Question, float]] = [(chosen[item.question_id], item.marks) for item in quiz.items
                                           if chosen[item.question_id].status == QuestionStatus.APPROVED]
    used = {question.id for question, _ in drawn}
    for rule in quiz.rules:
        candidates = [q for q in db.session.scalars(rule_candidates(quiz.owner, rule).order_by(Question.id))
                      if q.id not in used]
        picked = rng.sample(candidates, min(rule.count, len(candidates)))
        used.update(q.id for q in picked)
        drawn.extend((question, rule.marks) for question in picked)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def preview(quiz: Quiz) -> list[dict]:
    """The quiz as a student would see it, drawn afresh and stored nowhere."""
    rng = random.Random()
    return [{"question": question.to_plain(), "marks": marks,
             "order": display_order(question.to_plain(), rng, quiz.shuffle_choices)}
            for question, marks in draw_questions(quiz, rng)]


# --------------------------------------------------------------------------- assigning


def assign(quiz: Quiz, teacher: User, classroom: Classroom, opens_at: datetime | None = None,
           closes_at: datetime | None = None) -> Assignment:
    """Set the quiz for a class the teacher teaches, with that class's own dates if given."""
    if not is_teacher_of(classroom, teacher):
        abort(404)
    if not quiz.question_count:
        raise QuizError("Add questions to the quiz before assigning it.")
    _check_window(opens_at or quiz.opens_at, closes_at or quiz.closes_at)
    assignment = Assignment(quiz=quiz, classroom=classroom, opens_at=opens_at, closes_at=closes_at)
    db.session.add(assignment)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise QuizError(f"The quiz is already assigned to {classroom.name}.") from error
    return assignment


def unassign(assignment: Assignment) -> None:
    """Withdraw a quiz from a class, unless students have started it."""
    if db.session.scalar(select(func.count(Attempt.id)).where(Attempt.assignment_id == assignment.id)):
        raise QuizError("Students have started this quiz in that class; close it instead of removing it.")
    db.session.delete(assignment)
    db.session.commit()


def set_accommodation(assignment: Assignment, student_id: int, extra_minutes: int, extra_attempts: int) -> User:
    """Give a student of the class extra time and/or extra attempts (zero both to remove them)."""
    member = db.session.scalar(select(Membership).where(
        Membership.classroom_id == assignment.classroom_id, Membership.user_id == student_id,
        Membership.role == MemberRole.STUDENT))
    if member is None:
        raise QuizError("Choose a student of this class.")
    current = accommodation_of(assignment, student_id)
    if extra_minutes == 0 and extra_attempts == 0:
        if current:
            db.session.delete(current)
    else:
        current = current or Accommodation(assignment=assignment, student_id=student_id)
        current.extra_minutes, current.extra_attempts = extra_minutes, extra_attempts
        db.session.add(current)
    db.session.commit()
    return member.user


def accommodation_of(assignment: Assignment, student_id: int) -> Accommodation | None:
    return db.session.scalar(select(Accommodation).where(
        Accommodation.assignment_id == assignment.id, Accommodation.student_id == student_id))


# --------------------------------------------------------------------------- taking


def attempts_of(assignment: Assignment, student: User) -> list[Attempt]:
    """The student's attempts at an assignment, oldest first."""
    return list(db.session.scalars(select(Attempt).where(
        Attempt.assignment_id == assignment.id, Attempt.student_id == student.id).order_by(Attempt.number)))


def attempts_allowed(assignment: Assignment, student: User) -> int | None:
    """How many attempts the student may make (None for unlimited)."""
    allowed = assignment.quiz.attempts_allowed
    if not allowed:
        return None
    extra = accommodation_of(assignment, student.id)
    return allowed + (extra.extra_attempts if extra else 0)


def state(assignment: Assignment, student: User, now: datetime | None = None) -> dict:
    """Where a student stands on an assignment: attempts, what they may do now, and a label."""
    now = now or clock.now()
    attempts = attempts_of(assignment, student)
    for attempt in attempts:
        refresh(attempt, now)
    allowed = attempts_allowed(assignment, student)
    current = next((a for a in attempts if not a.finished), None)
    finished = [a for a in attempts if a.finished]
    left = None if allowed is None else max(0, allowed - len(attempts))
    can_start = current is None and assignment.is_open(now) and (left is None or left > 0)
    if current is not None:
        label = "in progress"
    elif finished and not can_start:
        label = "done"
    elif assignment.opens and now < assignment.opens:
        label = "not open yet"
    elif assignment.is_closed(now):
        label = "missed" if not finished else "done"
    else:
        label = "to do" if not finished else "done"
    return {"attempts": attempts, "finished": finished, "current": current, "allowed": allowed,
            "left": left, "can_start": can_start, "label": label,
            "grade": final_grade(assignment.quiz, finished)}


def to_do(student: User, now: datetime | None = None) -> list[dict]:
    """Every quiz set for the student's classes, soonest closing first, with its state."""
    now = now or clock.now()
    assignments = db.session.scalars(
        select(Assignment).join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .where(Membership.user_id == student.id, Membership.role == MemberRole.STUDENT)).all()
    rows = [{"assignment": a, **state(a, student, now)} for a in assignments]
    far = now + timedelta(days=36500)
    return sorted(rows, key=lambda r: (r["label"] not in ("in progress", "to do"), r["assignment"].closes or far))


def _deadline(assignment: Assignment, student: User, started: datetime) -> datetime | None:
    quiz = assignment.quiz
    limits = []
    if quiz.time_limit_minutes:
        extra = accommodation_of(assignment, student.id)
        minutes = quiz.time_limit_minutes + (extra.extra_minutes if extra else 0)
        limits.append(started + timedelta(minutes=minutes))
    if assignment.closes:
        limits.append(assignment.closes)
    return min(limits) if limits else None


def start_attempt(assignment: Assignment, student: User, now: datetime | None = None) -> Attempt:
    """Start (or resume) the student's attempt: its questions and their order are fixed now."""
    now = now or clock.now()
    info = state(assignment, student, now)
    if info["current"] is not None:
        return info["current"]
    if not assignment.is_open(now):
        raise QuizError("This quiz is not open now." if not assignment.is_closed(now) else "This quiz has closed.")
    if not info["can_start"]:
        raise QuizError("You have used all your attempts at this quiz.")
    quiz = assignment.quiz
    number = len(info["attempts"]) + 1
    rng = random.Random(f"{assignment.id}:{student.id}:{number}")
    attempt = Attempt(assignment=assignment, student=student, number=number, started_at=now,
                      deadline=_deadline(assignment, student, now))
    per_page = quiz.questions_per_page or 10**6
    total = 0.0
    for position, (question, marks) in enumerate(draw_questions(quiz, rng)):
        plain = question.to_plain()
        attempt.slots.append(AttemptSlot(
            position=position, page=position // per_page, question=question, question_version=question.version,
            snapshot=plain.to_dict(), display=display_order(plain, rng, quiz.shuffle_choices), marks=marks))
        total += marks
    if not attempt.slots:
        raise QuizError("This quiz has no questions yet. Tell your teacher.")
    attempt.max_score = total
    # Everything above only read, without the write lock: the attempt's number is unique per student and
    # assignment, so a start that raced another one fails below instead of making a second attempt.
    take_write_turn(db.session)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # the same student started it in another tab at the same moment
        db.session.rollback()
        return next(a for a in attempts_of(assignment, student) if a.number == number)
    return attempt


def refresh(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Finish an open attempt whose time is up, grading what was saved."""
    now = now or clock.now()
    if not attempt.finished and attempt.deadline is not None and now >= attempt.deadline:
        reason = "closed" if attempt.assignment.closes == attempt.deadline else "time_up"
        finish(attempt, reason, at=attempt.deadline)
    return attempt


def _writable_slot(attempt: Attempt, slot_id: int, now: datetime) -> AttemptSlot:
    refresh(attempt, now)
    if attempt.finished:
        raise AttemptClosed(_closed_message(attempt))
    return slot_of(attempt, slot_id)


def page_of(attempt: Attempt, page: int) -> tuple[list[AttemptSlot], int, int]:
    """The slots on one page of the attempt, that page's number (out of range reads as the first or last page)
    and how many pages there are; only that page's slots are loaded."""
    pages = (db.session.scalar(select(func.max(AttemptSlot.page)).where(AttemptSlot.attempt_id == attempt.id))
             or 0) + 1
    page = min(max(page, 0), pages - 1)
    slots = db.session.scalars(select(AttemptSlot).where(AttemptSlot.attempt_id == attempt.id,
                                                         AttemptSlot.page == page)
                               .order_by(AttemptSlot.position)).all()
    return slots, page, pages


def slot_of(attempt: Attempt, slot_id: int) -> AttemptSlot:
    """One of the attempt's slots (taken from its loaded slots when they are), 404 for any other id."""
    slot = db.session.get(AttemptSlot, slot_id)
    if slot is None or slot.attempt_id != attempt.id:
        abort(404)
    return slot


def _closed_message(attempt: Attempt) -> str:
    return ("Time is up: this attempt has been submitted, so the answer was not saved."
            if attempt.finish_reason in ("time_up", "closed")
            else "This attempt has been submitted; answers can no longer change.")


def _refused(attempt: Attempt, now: datetime) -> AttemptClosed:
    """Undo an answer's save that found the attempt closed, and the error that says why it closed."""
    db.session.rollback()
    return AttemptClosed(_closed_message(refresh(db.session.get(Attempt, attempt.id), now)))


def _still_open(attempt: Attempt, now: datetime):
    """The attempt's id while it is open at ``now``. On PostgreSQL the row is share-locked until the commit, so
    a submit under way is waited for (and then seen), and a submit that comes later waits for these answers."""
    return (select(Attempt.id).where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS,
                                     or_(Attempt.deadline.is_(None), Attempt.deadline > now))
            .with_for_update(read=True))


def save_answer(attempt: Attempt, slot_id: int, response, now: datetime | None = None) -> AttemptSlot:
    """Save one answer (already read from the form); refused once the attempt is finished or out of time.

    The write is conditional on the attempt being still open at ``now``, so it needs no lock held from the
    reads before it: an answer that loses a race with the submit (or the deadline) is refused, never
    stored beside a grade that did not count it.
    """
    now = now or clock.now()
    slot = _writable_slot(attempt, slot_id, now)
    if response is not None:
        response = check_response(slot.plain, response)
    take_write_turn(db.session)
    saved = db.session.execute(
        update(AttemptSlot).where(AttemptSlot.id == slot.id, AttemptSlot.attempt_id.in_(_still_open(attempt, now)))
        .values(response=response, saved_at=now).execution_options(synchronize_session=False)).rowcount
    if not saved:
        raise _refused(attempt, now)
    db.session.commit()
    return slot


def save_answers(attempt: Attempt, responses: dict[int, object], now: datetime | None = None) -> None:
    """Save several answers at once (a page without JavaScript), all or nothing."""
    now = now or clock.now()
    slots = {slot_id: _writable_slot(attempt, slot_id, now) for slot_id in responses}
    if db.session.execute(_still_open(attempt, now)).first() is None:  # holds a submit off until the commit
        raise _refused(attempt, now)
    for slot_id, response in responses.items():
        slot = slots[slot_id]
        slot.response = None if response is None else check_response(slot.plain, response)
        slot.saved_at = now
    db.session.commit()


def finish(attempt: Attempt, reason: str = "submitted", at: datetime | None = None) -> bool:
    """Finish and grade the attempt once; returns False if it was already finished (nothing changes).

    Finishing is the first write and a conditional one, so the reads before it need no lock; once it has
    won, the answers are read and graded inside the same write, where no autosave can change them.
    """
    at = at or clock.now()
    take_write_turn(db.session)
    won = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=AttemptStatus.FINISHED, finished_at=at, finish_reason=reason)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.rollback()
        db.session.refresh(attempt)
        return False
    for name, value in (("status", AttemptStatus.FINISHED), ("finished_at", at), ("finish_reason", reason)):
        set_committed_value(attempt, name, value)
    # The answers as they are now that none can change (an autosave may have landed since they were read).
    set_committed_value(attempt, "slots", db.session.scalars(
        select(AttemptSlot).where(AttemptSlot.attempt_id == attempt.id).order_by(AttemptSlot.position)
        .execution_options(populate_existing=True)).all())
    grade_attempt(attempt)
    schedule_reviews(attempt, at)
    db.session.commit()
    return True


def schedule_reviews(attempt: Attempt, at: datetime) -> None:
    """Every graded question the student met becomes (or updates) a spaced-repetition card."""
    from quiz.practice.services import Outcome, record_question_outcomes

    record_question_outcomes(attempt.student, [
        Outcome(slot.question_id, slot.snapshot.get("type", ""), slot.fraction, slot.response, slot.display)
        for slot in attempt.slots if slot.question_id is not None and slot.fraction is not None], at)


def submit(attempt: Attempt, now: datetime | None = None) -> bool:
    """The student submits: idempotent; after the deadline the attempt is finished by time instead."""
    now = now or clock.now()
    refresh(attempt, now)
    if attempt.finished:
        return False
    return finish(attempt, "submitted", at=now)


def grade_attempt(attempt: Attempt) -> None:
    """Grade every automatically gradable slot and total the score (essays wait for the teacher)."""
    for slot in attempt.slots:
        if slot.graded_by_id is not None:
            continue
        result = grade(slot.plain, slot.response)
        slot.fraction = None if result.pending else result.fraction
        slot.score = None if result.pending else round(result.fraction * slot.marks, 4)
    total_attempt(attempt)


def total_attempt(attempt: Attempt) -> None:
    attempt.needs_grading = any(slot.score is None for slot in attempt.slots)
    attempt.score = round(sum(slot.score or 0.0 for slot in attempt.slots), 4)


def grade_manually(slot: AttemptSlot, teacher: User, score: float, feedback: str) -> None:
    """A teacher marks one answer (an essay, or overrides an automatic mark)."""
    if not slot.attempt.finished:
        raise QuizError("Wait until the student has submitted the attempt.")
    if not 0 <= score <= slot.marks:
        raise QuizError(f"Give between 0 and {slot.marks:g} marks.")
    slot.score, slot.fraction = score, score / slot.marks if slot.marks else 0.0
    slot.feedback, slot.graded_by_id = feedback, teacher.id
    total_attempt(slot.attempt)
    db.session.commit()


def grade_with_rubric(slot: AttemptSlot, teacher: User, rubric, scores: dict[int, int], comment: str) -> None:
    """Mark an answer (an essay) with a rubric, on the essays' own grading screen: the answer's marks are
    the rubric's share of points, and the levels chosen stay with the answer for the student's review."""
    from quiz.essays.services import EssayError
    from quiz.essays.services import grade_with_rubric as rubric_grade

    if not slot.attempt.finished:
        raise QuizError("Wait until the student has submitted the attempt.")
    try:
        result = rubric_grade(rubric, scores, comment, teacher, grade=slot.rubric_grade)
    except EssayError as error:
        db.session.rollback()
        raise QuizError(str(error)) from error
    slot.rubric_grade = result
    share = result.points / result.max_points if result.max_points else 0.0
    grade_manually(slot, teacher, round(share * slot.marks, 2), comment)


def final_grade(quiz: Quiz, finished: list[Attempt]) -> float | None:
    """The grade (percent) the quiz's grading method gives over the finished attempts."""
    percents = [a.percent for a in finished if a.percent is not None]
    if not percents:
        return None
    method = quiz.grading_method
    if method == GradingMethod.HIGHEST:
        return max(percents)
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    return statistics.fmean(percents)


def close_overdue(now: datetime | None = None) -> int:
    """Finish every open attempt whose time is up (for a timer or cron); returns how many."""
    now = now or clock.now()
    overdue = db.session.scalars(select(Attempt).where(Attempt.status == AttemptStatus.IN_PROGRESS,
                                                       Attempt.deadline <= now)).all()
    closed = 0
    for attempt in overdue:
        before = attempt.finished
        refresh(attempt, now)
        closed += int(attempt.finished and not before)
    return closed


# --------------------------------------------------------------------------- review


def review_options(attempt: Attempt, teaching: bool, now: datetime | None = None) -> dict | None:
    """What the viewer may see of a finished attempt (None: the review is not open to them yet)."""
    if teaching:
        return {"score": True, "answers": True, "correct": True, "explanations": True}
    if not attempt.finished:
        return None
    quiz = attempt.assignment.quiz
    now = now or clock.now()
    if quiz.review_when == ReviewWhen.NEVER:
        return None
    if quiz.review_when == ReviewWhen.AFTER_CLOSE and not attempt.assignment.is_closed(now):
        return None
    return {"score": quiz.review_score, "answers": quiz.review_answers, "correct": quiz.review_correct,
            "explanations": quiz.review_explanations}


def student_may_read_source(student: User, source_id: int) -> bool:
    """A student may open a reading once a finished attempt of theirs cited it."""
    from question_bank.models import Passage

    return db.session.scalar(
        select(func.count(AttemptSlot.id)).join(Attempt).join(Question, AttemptSlot.question_id == Question.id)
        .join(Passage, Question.passage_id == Passage.id)
        .where(Attempt.student_id == student.id, Attempt.status == AttemptStatus.FINISHED,
               Passage.source_id == source_id)) > 0


class ResponseRefused(QuizError):
    """A response that cannot belong to its question (a tampered form)."""


def read_response(question, form, prefix, order):
    """``quiz.answering.response_from_form`` with its error turned into a QuizError for the views."""
    from quiz.answering import response_from_form

    try:
        return response_from_form(question, form, prefix, order)
    except ResponseError as error:
        raise ResponseRefused(str(error).capitalize() + ".") from error
