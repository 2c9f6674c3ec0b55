"""Students take quizzes: start, autosave, resume, submit once, deadlines and tampering."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from quiz.quizzes.models import Attempt, AttemptSlot
from tests.web.quizzes.conftest import RIGHT


def start(browser, assignment) -> Attempt:
    from quiz.extensions import db

    response = browser.post(f"/quizzes/assignments/{assignment.id}/start")
    assert response.status_code == 302 and "/quizzes/attempts/" in response.location
    return db.session.get(Attempt, int(response.location.rstrip("/").split("/")[-1]))


def slot_of(attempt, qtype) -> AttemptSlot:
    return next(s for s in attempt.slots if s.snapshot["type"] == qtype)


def in_two_threads_at_once(target) -> None:
    """Run ``target`` in two threads (it meets the other at a barrier) and wait for both."""
    threads = [threading.Thread(target=target) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_student_sees_the_quiz_on_the_dashboard(login, student, make_quiz):
    """An assigned quiz is listed as to do."""
    quiz, _ = make_quiz()
    page = login(student).get("/dashboard").get_data(as_text=True)
    assert quiz.title in page and "to do" in page


def test_starting_fixes_the_questions_and_order(login, student, make_quiz, db):
    """The attempt holds a snapshot of every question, in pages of the chosen size."""
    _, assignment = make_quiz(shuffle_questions=True)
    attempt = start(login(student), assignment)
    assert len(attempt.slots) == 8 and attempt.pages == 3
    assert {s.snapshot["type"] for s in attempt.slots} >= {"multiple_choice", "essay", "ordering"}


def test_starting_twice_resumes_the_same_attempt(login, student, make_quiz, db):
    """A second click, or a second tab, continues the attempt under way."""
    _, assignment = make_quiz()
    browser = login(student)
    first, second = start(browser, assignment), start(browser, assignment)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_autosave_keeps_each_answer_and_resume_shows_it(login, student, make_quiz, db):
    """An answer saved through JavaScript is there when the student comes back."""
    _, assignment = make_quiz()
    browser = login(student)
    attempt = start(browser, assignment)
    slot = slot_of(attempt, "cloze")
    response = browser.post(f"/quizzes/attempts/{attempt.id}/slots/{slot.id}", data={f"s{slot.id}": "2025"},
                            headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["saved"]
    db.session.refresh(slot)
    assert slot.response == "2025"
    page = login(student).get(f"/quizzes/attempts/{attempt.id}?page={slot.page}").get_data(as_text=True)
    assert 'value="2025"' in page


def test_moving_between_pages_saves_without_javascript(login, student, make_quiz, db):
    """The plain form saves every answer on the page and moves on."""
    _, assignment = make_quiz(types=["multiple_choice", "true_false", "matching"])
    browser = login(student)
    attempt = start(browser, assignment)
    mcq, tf, match = (slot_of(attempt, t) for t in ("multiple_choice", "true_false", "matching"))
    form = {"page": "0", "go": "next", f"s{mcq.id}": "Oslo", f"s{tf.id}": "false",
            f"s{match.id}-0": "host", f"s{match.id}-1": "critic"}
    response = browser.post(f"/quizzes/attempts/{attempt.id}", data=form)
    assert response.status_code == 303
    for slot in (mcq, tf, match):
        db.session.refresh(slot)
    assert (mcq.response, tf.response, match.response) == ("Oslo", "false", {"Norway": "host", "Chile": "critic"})


def test_submitting_grades_every_type(login, student, make_quiz, db):
    """Right answers score full marks, matching and ordering get partial credit, essays wait."""
    _, assignment = make_quiz()
    browser = login(student)
    attempt = start(browser, assignment)
    for qtype, value in RIGHT.items():
        slot = slot_of(attempt, qtype)
        browser.post(f"/quizzes/attempts/{attempt.id}/slots/{slot.id}", data={f"s{slot.id}": value})
    match = slot_of(attempt, "matching")
    browser.post(f"/quizzes/attempts/{attempt.id}/slots/{match.id}",
                 data={f"s{match.id}-0": "host", f"s{match.id}-1": "critic", f"s{match.id}-2": "partner"})
    order = slot_of(attempt, "ordering")
    shown = order.display["items"]
    positions = {f"s{order.id}-{i}": str(sorted(shown).index(item) + 1) for i, item in enumerate(shown)}
    browser.post(f"/quizzes/attempts/{attempt.id}/slots/{order.id}", data=positions)
    assert browser.post(f"/quizzes/attempts/{attempt.id}/submit").status_code == 303
    db.session.refresh(attempt)
    scores = {s.snapshot["type"]: s.score for s in attempt.slots}
    assert scores == {"multiple_choice": 1, "true_false": 1, "cloze": 1, "numeric": 1, "short_answer": 1,
                      "matching": pytest.approx(1 / 3, abs=1e-3), "ordering": 1, "essay": None}
    assert attempt.needs_grading and attempt.score == pytest.approx(6 + 1 / 3, abs=1e-3)


def test_submitting_twice_grades_once(login, student, make_quiz, db):
    """A resent submit changes nothing and says so."""
    _, assignment = make_quiz(types=["multiple_choice"])
    browser = login(student)
    attempt = start(browser, assignment)
    browser.post(f"/quizzes/attempts/{attempt.id}/submit")
    db.session.refresh(attempt)
    finished_at = attempt.finished_at
    again = browser.post(f"/quizzes/attempts/{attempt.id}/submit", follow_redirects=True)
    assert "already submitted" in again.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.finished_at == finished_at


def test_concurrent_submissions_finish_the_attempt_once(app, student, make_quiz, db):
    """Two threads submitting at the same moment give one finished, graded attempt."""
    from quiz.quizzes.services import finish, start_attempt

    _, assignment = make_quiz(types=["multiple_choice", "true_false"])
    attempt_id = start_attempt(assignment, student).id
    results, barrier = [], threading.Barrier(2)

    def submit_in_thread():
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            barrier.wait()
            results.append(finish(attempt))
            db.session.remove()

    in_two_threads_at_once(submit_in_thread)
    assert sorted(results) == [False, True]
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished" and attempt.score == 0


def test_answers_after_the_time_limit_are_refused(login, student, make_quiz, db, clock):
    """Past the deadline the answer is refused, and the attempt is finished with what was saved."""
    _, assignment = make_quiz(time_limit_minutes=10)
    browser = login(student)
    attempt = start(browser, assignment)
    slot = slot_of(attempt, "multiple_choice")
    browser.post(f"/quizzes/attempts/{attempt.id}/slots/{slot.id}", data={f"s{slot.id}": "Oslo"})
    clock.advance(minutes=10, seconds=1)
    late = slot_of(attempt, "true_false")
    response = browser.post(f"/quizzes/attempts/{attempt.id}/slots/{late.id}", data={f"s{late.id}": "true"})
    assert response.status_code == 409 and "Time is up" in response.json["message"]
    db.session.refresh(attempt)
    db.session.refresh(late)
    assert attempt.finished and attempt.finish_reason == "time_up" and late.response is None
    assert attempt.finished_at == attempt.deadline and slot_of(attempt, "multiple_choice").score == 1


def test_extra_time_lengthens_the_deadline(login, teacher, student, make_quiz, db, clock):
    """A student with 5 extra minutes can still answer after the others' time is up."""
    _, assignment = make_quiz(time_limit_minutes=10)
    response = login(teacher).post(f"/quizzes/assignments/{assignment.id}/accommodations",
                                   data={"student_id": student.id, "extra_minutes": 5, "extra_attempts": 0})
    assert response.status_code == 302
    browser = login(student)
    attempt = start(browser, assignment)
    clock.advance(minutes=12)
    slot = slot_of(attempt, "true_false")
    assert browser.post(f"/quizzes/attempts/{attempt.id}/slots/{slot.id}",
                        data={f"s{slot.id}": "true"}).status_code == 200


def test_close_overdue_finishes_abandoned_attempts(app, student, make_quiz, db, clock):
    """The command grades attempts left open past their time."""
    from quiz.quizzes.services import start_attempt

    _, assignment = make_quiz(time_limit_minutes=5)
    attempt = start_attempt(assignment, student)
    clock.advance(minutes=6)
    result = app.test_cli_runner().invoke(args=["quizzes", "close-overdue"])
    assert "Closed 1 overdue attempt." in result.output
    db.session.refresh(attempt)
    assert attempt.finished and attempt.score == 0


def test_quiz_closing_ends_an_untimed_attempt(login, student, make_quiz, db, clock):
    """An attempt without a time limit ends when the quiz closes for the class."""
    from datetime import timedelta

    _, assignment = make_quiz(assignment_dates=(None, clock.now + timedelta(hours=1)))
    browser = login(student)
    attempt = start(browser, assignment)
    assert attempt.deadline == assignment.closes
    clock.advance(hours=2)
    response = browser.get(f"/quizzes/attempts/{attempt.id}")
    assert response.status_code == 302 and "/review" in response.location
    db.session.refresh(attempt)
    assert attempt.finish_reason == "closed"


def test_quiz_not_open_yet_or_closed_cannot_start(login, student, make_quiz, clock, db):
    """Before it opens and after it closes, starting is refused with a message."""
    from datetime import timedelta

    _, assignment = make_quiz(assignment_dates=(clock.now + timedelta(days=1), clock.now + timedelta(days=2)))
    browser = login(student)
    early = browser.post(f"/quizzes/assignments/{assignment.id}/start", follow_redirects=True)
    assert "not open now" in early.get_data(as_text=True)
    clock.advance(days=3)
    late = browser.post(f"/quizzes/assignments/{assignment.id}/start", follow_redirects=True)
    assert "has closed" in late.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_attempt_limit_and_extra_attempts(login, teacher, student, make_quiz, db):
    """One attempt allowed; an extra attempt granted by the teacher allows a second."""
    _, assignment = make_quiz(types=["true_false"], attempts_allowed=1)
    browser = login(student)
    attempt = start(browser, assignment)
    browser.post(f"/quizzes/attempts/{attempt.id}/submit")
    refused = browser.post(f"/quizzes/assignments/{assignment.id}/start", follow_redirects=True)
    assert "used all your attempts" in refused.get_data(as_text=True)
    login(teacher).post(f"/quizzes/assignments/{assignment.id}/accommodations",
                        data={"student_id": student.id, "extra_minutes": 0, "extra_attempts": 1})
    assert start(browser, assignment).number == 2


@pytest.mark.parametrize("tamper", ["foreign_attempt", "foreign_slot", "foreign_choice", "after_submit"])
def test_tampered_answers_are_refused_and_change_nothing(login, student, other_student, make_quiz, db,
                                                          classroom, tamper):
    """Another's attempt, a slot of another attempt, a choice of another question, or a closed attempt: 4xx."""
    from quiz.classes.models import Membership

    db.session.add(Membership(classroom=classroom, user=other_student, role="student"))
    db.session.commit()
    _, assignment = make_quiz()
    mine = start(login(student), assignment)
    theirs_browser = login(other_student)
    theirs = start(theirs_browser, assignment)
    slot = slot_of(mine, "multiple_choice")
    their_slot = slot_of(theirs, "multiple_choice")
    if tamper == "foreign_attempt":
        response = theirs_browser.post(f"/quizzes/attempts/{mine.id}/slots/{slot.id}", data={f"s{slot.id}": "Oslo"})
        assert response.status_code == 404
    elif tamper == "foreign_slot":
        response = theirs_browser.post(f"/quizzes/attempts/{theirs.id}/slots/{slot.id}",
                                       data={f"s{slot.id}": "Oslo"})
        assert response.status_code == 404
    elif tamper == "foreign_choice":
        response = theirs_browser.post(f"/quizzes/attempts/{theirs.id}/slots/{their_slot.id}",
                                       data={f"s{their_slot.id}": "Paris"})
        assert response.status_code == 422
    else:
        theirs_browser.post(f"/quizzes/attempts/{theirs.id}/submit")
        response = theirs_browser.post(f"/quizzes/attempts/{theirs.id}/slots/{their_slot.id}",
                                       data={f"s{their_slot.id}": "Oslo"})
        assert response.status_code == 409
    for s in (slot, their_slot):
        db.session.refresh(s)
    assert slot.response is None and their_slot.response is None


def test_a_bad_answer_on_a_page_saves_nothing_from_that_page(login, student, make_quiz, db):
    """The page form is all or nothing, with a message."""
    _, assignment = make_quiz(types=["multiple_choice", "numeric"])
    browser = login(student)
    attempt = start(browser, assignment)
    mcq, num = slot_of(attempt, "multiple_choice"), slot_of(attempt, "numeric")
    response = browser.post(f"/quizzes/attempts/{attempt.id}", data={
        "page": "0", "go": "next", f"s{mcq.id}": "Oslo", f"s{num.id}": "lots"}, follow_redirects=True)
    assert "Nothing on this page was saved" in response.get_data(as_text=True)
    db.session.refresh(mcq)
    assert mcq.response is None


def test_editing_a_question_leaves_started_attempts_alone(login, student, make_quiz, db, bank):
    """Attempts keep the version of each question they were given."""
    _, assignment = make_quiz(types=["multiple_choice"])
    attempt = start(login(student), assignment)
    question = bank[0]
    question.stem, question.version = "Changed stem?", question.version + 1
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.slots[0].snapshot["stem"] == "Where was the pact signed?"
    assert attempt.slots[0].question_version == 1


def test_a_two_hour_quiz_submits_with_the_form_it_opened_with(login, student, make_quiz, db, clock, monkeypatch):
    """The page's CSRF token and the session outlive a two-hour quiz: the final submit works."""
    import re

    import itsdangerous.timed

    _, assignment = make_quiz(types=["true_false"], time_limit_minutes=120)
    browser = login(student)
    attempt = start(browser, assignment)
    page = browser.get(f"/quizzes/attempts/{attempt.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed, "time", type("LaterTime", (), {
        "time": staticmethod(lambda: real_time() + 119 * 60)}))
    clock.advance(minutes=119)
    slot = attempt.slots[0]
    response = browser.post(f"/quizzes/attempts/{attempt.id}", csrf=False, data={
        "csrf_token": token, "page": "0", "go": "finish", f"s{slot.id}": "true"})
    assert response.status_code == 303 and response.location.endswith("/finish")
    response = browser.post(f"/quizzes/attempts/{attempt.id}/submit", csrf=False, data={"csrf_token": token})
    assert response.status_code == 303
    db.session.refresh(attempt)
    assert attempt.finish_reason == "submitted" and attempt.score == 1


def test_submitting_does_not_query_once_per_question(app, student, make_quiz, db):
    """Grading and scheduling reviews for a whole attempt takes a handful of statements, not one per answer."""
    from sqlalchemy import event

    from quiz.quizzes.services import finish, save_answer, start_attempt

    _, assignment = make_quiz()
    attempt = start_attempt(assignment, student)
    for slot in attempt.slots:
        if slot.snapshot["type"] == "true_false":
            save_answer(attempt, slot.id, "true")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert finish(attempt)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(attempt.slots) == 8 and len(reads) <= 6, reads
    # Writes too come in a fixed number: the grades, the new cards, the moved cards and their reviews each
    # go in one statement for the whole attempt.
    assert len(statements) <= 12, statements


def test_an_answer_that_loses_the_race_with_the_submit_is_refused(student, make_quiz, db):
    """An autosave that read the attempt as open, but writes after another request finished it, stores nothing."""
    from sqlalchemy import update

    from quiz.quizzes.services import AttemptClosed, save_answer, start_attempt

    _, assignment = make_quiz(types=["multiple_choice"])
    attempt = start_attempt(assignment, student)
    slot = attempt.slots[0]
    assert attempt.status == "in_progress"  # what this request read
    with db.engine.begin() as other_request:  # another worker submits meanwhile
        other_request.execute(update(Attempt).where(Attempt.id == attempt.id)
                              .values(status="finished", finish_reason="submitted"))
    with pytest.raises(AttemptClosed, match="has been submitted"):
        save_answer(attempt, slot.id, "Oslo")
    assert db.session.scalar(select(AttemptSlot.response).where(AttemptSlot.id == slot.id)) is None


def test_submitting_grades_the_answers_saved_up_to_that_moment(student, make_quiz, db):
    """An answer saved by another request after this one read the attempt is the one graded."""
    from sqlalchemy import update

    from quiz.quizzes.services import finish, start_attempt

    _, assignment = make_quiz(types=["multiple_choice", "true_false"])
    attempt = start_attempt(assignment, student)
    slots = {slot.snapshot["type"]: slot for slot in attempt.slots}  # read, all unanswered
    with db.engine.begin() as autosave:
        autosave.execute(update(AttemptSlot).where(AttemptSlot.id == slots["true_false"].id).values(response="true"))
    assert finish(attempt)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.score == 1
    assert {slot.snapshot["type"]: slot.response for slot in attempt.slots} == {"multiple_choice": None,
                                                                              "true_false": "true"}


def test_submitting_makes_or_moves_a_review_card_for_every_graded_question(student, make_quiz, db, clock):
    """Each auto-graded question becomes a card on the first attempt and is reviewed again on the second."""
    from quiz.practice.models import CardReview, StudyCard
    from quiz.quizzes.services import finish, start_attempt

    _, assignment = make_quiz(attempts_allowed=2)
    first = start_attempt(assignment, student)
    assert finish(first)
    cards = db.session.scalars(select(StudyCard).where(StudyCard.user_id == student.id)).all()
    assert len(cards) == 7  # every question but the essay
    assert all(card.reps == 1 and card.state["card_id"] == card.id and card.due > clock.now for card in cards)
    clock.advance(days=3)
    second = start_attempt(assignment, student)
    assert finish(second)
    db.session.expire_all()
    assert sorted(card.reps for card in db.session.scalars(select(StudyCard))) == [2] * 7
    reviews = db.session.scalars(select(CardReview)).all()
    assert len(reviews) == 14 and {review.source for review in reviews} == {"quiz"}


def test_submitting_moves_cards_in_the_order_of_their_ids(student, make_quiz, db, clock):
    """Every submission updates a student's cards in one order (by id), so two submissions touching the same
    cards at once cannot deadlock on PostgreSQL, whatever order each attempt put the questions in."""
    from sqlalchemy import event

    from quiz.quizzes.services import finish, start_attempt

    _, assignment = make_quiz(attempts_allowed=2, shuffle_questions=True)
    assert finish(start_attempt(assignment, student))  # the cards now exist
    clock.advance(days=1)
    second = start_attempt(assignment, student)
    updated = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE STUDY_CARDS"):
            rows = parameters if executemany else [parameters]
            updated.extend(row[-1] if isinstance(row, (tuple, list)) else
                           next(value for key, value in row.items() if key.endswith("id")) for row in rows)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert finish(second)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(updated) == 7 and updated == sorted(updated)


def test_an_answer_arriving_while_a_submit_is_being_written_waits_and_is_refused(app, student, make_quiz, db):
    """While another request's submit is written but not yet committed, an autosave waits for it (it never slips
    in beside the grade) and is then refused."""
    from sqlalchemy import update

    from quiz.quizzes.services import AttemptClosed, save_answer, start_attempt

    _, assignment = make_quiz(types=["multiple_choice"])
    attempt_id = start_attempt(assignment, student).id
    slot_id = db.session.scalar(select(AttemptSlot.id).where(AttemptSlot.attempt_id == attempt_id))
    outcome = []

    def autosave():
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)  # read as open: the submit is not committed yet
            try:
                save_answer(attempt, slot_id, "Oslo")
                outcome.append("saved")
            except AttemptClosed:
                outcome.append("refused")
            finally:
                db.session.remove()

    with db.engine.connect() as submitting:
        transaction = submitting.begin()
        submitting.execute(update(Attempt).where(Attempt.id == attempt_id)
                           .values(status="finished", finish_reason="submitted"))
        thread = threading.Thread(target=autosave)
        thread.start()
        thread.join(timeout=1.0)
        waited = thread.is_alive()
        transaction.commit()
    thread.join(timeout=30)
    assert waited and outcome == ["refused"]
    db.session.expire_all()
    assert db.session.get(AttemptSlot, slot_id).response is None


def test_starting_in_two_tabs_at_once_gives_one_attempt(app, student, make_quiz, db):
    """Two starts of the same quiz at the same moment (two tabs) both land on one attempt."""
    from quiz.quizzes.models import Assignment
    from quiz.quizzes.services import start_attempt

    _, assignment = make_quiz(types=["multiple_choice", "true_false"], attempts_allowed=1)
    assignment_id, student_id = assignment.id, student.id  # read here: the threads have sessions of their own
    started, barrier = [], threading.Barrier(2, timeout=30)

    def start_in_thread():
        with app.app_context():
            try:
                mine, who = db.session.get(Assignment, assignment_id), db.session.get(type(student), student_id)
                barrier.wait()
                started.append(start_attempt(mine, who).id)
            finally:
                db.session.remove()

    in_two_threads_at_once(start_in_thread)
    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt).where(Attempt.student_id == student.id)).all()
    assert len(attempts) == 1 and started == [attempts[0].id] * 2
    assert len(attempts[0].slots) == 2
