"""Practice pages: a student revises a unit alone with practice, due reviews and flashcards."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quiz.practice.models import CardReview, PracticeItem, PracticeSession, StudyCard


def start(browser, **data):
    """Start a session through the form; the response redirects to its first question."""
    response = browser.post("/practice/sessions", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response


def only_session(db):
    return db.session.scalars(select(PracticeSession)).one()


def item_of(db, session, question):
    return db.session.scalar(select(PracticeItem).where(PracticeItem.session_id == session.id,
                                                        PracticeItem.question_id == question.id))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_start_page_offers_units_and_topics_with_counts(login, people, unit, other_unit):
    """Checkbox lists with counts; another teacher's private unit is never offered."""
    page = login(people["student"]).get("/practice/").get_data(as_text=True)
    assert "Fisheries diplomacy (6 questions)" in page
    assert "signing (2)" in page and "vessels (2)" in page
    assert "Private unit" not in page and "secret" not in page
    assert 'type="checkbox"' in page and "never counted in your grades" in page


def test_a_student_with_nothing_to_practise_sees_an_empty_state(app, login):
    """No units with approved questions: a helpful message, no form."""
    from tests.conftest import make_user

    page = login(make_user("new@example.org", "New Student")).get("/practice/").get_data(as_text=True)
    assert "no questions to practise yet" in page
    assert "Nothing is due for review" in page


def test_starting_with_nothing_chosen_explains_why(login, people, unit, db):
    """The form asks for a unit or topic and stores nothing."""
    response = login(people["student"]).post("/practice/sessions", data={"length": "5"})
    assert response.status_code == 422
    assert "Choose at least one unit or topic" in response.get_data(as_text=True)
    assert count(db, PracticeSession) == 0


def test_a_foreign_unit_or_length_is_refused(login, people, unit, other_unit, db):
    """Tampered unit ids and lengths are form errors, never a session."""
    browser = login(people["student"])
    assert browser.post("/practice/sessions",
                        data={"units": str(other_unit.id), "length": "5"}).status_code == 422
    assert browser.post("/practice/sessions", data={"units": str(unit.id), "length": "7"}).status_code == 422
    assert count(db, PracticeSession) == 0


def test_a_right_answer_shows_feedback_with_the_explanation_and_the_marked_source(
        login, people, unit, clock, db):
    """Answer → feedback: right, the explanation, the cited passage with the answer marked, the source."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="signing", length="5")
    session = only_session(db)
    item = item_of(db, session, unit.q["mcq"])
    url = f"/practice/sessions/{session.id}/questions/{item.position}"
    page = browser.get(url).get_data(as_text=True)
    assert "Where was the agreement signed?" in page and 'name="answer"' in page
    response = browser.post(url, data={"answer": "Oslo"})
    assert response.status_code == 302 and response.location.endswith(url)
    feedback = browser.get(url).get_data(as_text=True)
    assert "Right!" in feedback and "The pact was signed in Oslo." in feedback
    assert "<mark>Oslo</mark>" in feedback and "Harbour Pact Signed" in feedback
    assert 'href="https://example.org/harbour-pact"' in feedback
    db.session.refresh(item)
    assert item.fraction == 1.0 and item.answered_at == clock.now()


def test_a_wrong_choice_shows_the_right_answer_and_its_feedback(login, people, unit, clock, db):
    """Wrong: the answer given, the correct one and the choice's own feedback."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="signing", length="5")
    session = only_session(db)
    item = item_of(db, session, unit.q["mcq"])
    url = f"/practice/sessions/{session.id}/questions/{item.position}"
    browser.post(url, data={"answer": "Santiago"})
    page = browser.get(url).get_data(as_text=True)
    assert "Not this time." in page and "Santiago is Chile&#39;s capital" in page
    assert '<p class="right-answer">Oslo</p>' in page


def test_partial_credit_is_shown(login, people, unit, clock, db):
    """A matching question half right earns half the marks, and says so."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="signing", length="5")
    session = only_session(db)
    item = item_of(db, session, unit.q["matching"])
    url = f"/practice/sessions/{session.id}/questions/{item.position}"
    browser.post(url, data={"answer-0": "host", "answer-1": "host"})
    page = browser.get(url).get_data(as_text=True)
    assert "Partly right:" in page and "50% of the marks" in page
    db.session.refresh(item)
    assert item.fraction == pytest.approx(0.5)


def test_show_me_the_answer_counts_as_not_known(login, people, unit, clock, db):
    """Giving up shows the answer and schedules the card soon."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="vessels", length="5")
    session = only_session(db)
    url = f"/practice/sessions/{session.id}/questions/1"
    browser.post(url, data={"give_up": "Show me the answer"})
    assert "Here is the answer." in browser.get(url).get_data(as_text=True)
    review = db.session.scalars(select(CardReview)).one()
    assert review.rating == 1 and review.response is None


def test_a_blank_answer_asks_again_and_stores_nothing(login, people, unit, clock, db):
    """Nothing chosen: 422 with a message; the question stays unanswered."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), length="5")
    session = only_session(db)
    response = browser.post(f"/practice/sessions/{session.id}/questions/1", data={})
    assert response.status_code == 422 and "Choose or type an answer" in response.get_data(as_text=True)
    assert count(db, CardReview) == 0 and only_session(db).answered == []


def test_a_choice_from_another_question_is_refused(login, people, unit, clock, db):
    """A tampered choice is a 400 and changes nothing."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="signing", length="5")
    session = only_session(db)
    item = item_of(db, session, unit.q["mcq"])
    response = browser.post(f"/practice/sessions/{session.id}/questions/{item.position}",
                            data={"answer": "host"})
    assert response.status_code == 400
    db.session.refresh(item)
    assert item.answered_at is None and count(db, StudyCard) == 0


def test_a_question_not_in_the_session_or_another_students_session_is_not_found(
        login, people, unit, clock, db):
    """Positions outside the session and other students' sessions are 404, and nothing changes."""
    start(login(people["student"]), units=str(unit.id), tags="vessels", length="5")
    session = only_session(db)
    assert login(people["student"]).post(f"/practice/sessions/{session.id}/questions/9",
                                          data={"answer": "true"}).status_code == 404
    other = login(people["other_student"])
    assert other.post(f"/practice/sessions/{session.id}/questions/1",
                      data={"answer": "true"}).status_code == 404
    assert count(db, CardReview) == 0


def test_answering_twice_keeps_the_first_answer(login, people, unit, clock, db):
    """A second POST to an answered question changes nothing."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="signing", length="5")
    session = only_session(db)
    item = item_of(db, session, unit.q["mcq"])
    url = f"/practice/sessions/{session.id}/questions/{item.position}"
    browser.post(url, data={"answer": "Oslo"})
    response = browser.post(url, data={"answer": "Lima"}, follow_redirects=True)
    assert "already answered" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.response == "Oslo" and count(db, CardReview) == 1


def test_leaving_and_resuming_carries_on_at_the_next_question(login, people, unit, clock, db):
    """The practice page offers the open session; resuming goes to the first unanswered question."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="vessels", length="5")
    session = only_session(db)
    browser.post(f"/practice/sessions/{session.id}/questions/1", data={"give_up": "1"})
    index = browser.get("/practice/").get_data(as_text=True)
    assert f"/practice/sessions/{session.id}" in index and "1 of 2 answered" in index
    response = browser.get(f"/practice/sessions/{session.id}")
    assert response.location.endswith(f"/practice/sessions/{session.id}/questions/2")


def test_the_last_answer_leads_to_the_summary(login, people, unit, clock, db):
    """After the last question: a summary with the score, each question's result, and history."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="vessels", length="5")
    session = only_session(db)
    for item in session.items:
        answer = "true" if item.question.type == "true_false" else "39"
        browser.post(f"/practice/sessions/{session.id}/questions/{item.position}", data={"answer": answer})
    feedback = browser.get(f"/practice/sessions/{session.id}/questions/2").get_data(as_text=True)
    assert "See how you did" in feedback
    summary = browser.get(f"/practice/sessions/{session.id}/summary").get_data(as_text=True)
    assert "1 out of 2 (50%)" in summary and "right" in summary and "wrong" in summary
    assert browser.get(f"/practice/sessions/{session.id}").location.endswith("/summary")
    assert "Past sessions" in browser.get("/practice/").get_data(as_text=True)


def test_ending_early_keeps_what_was_answered(login, people, unit, clock, db):
    """End session: unanswered questions stay unanswered and can no longer be answered."""
    browser = login(people["student"])
    start(browser, units=str(unit.id), length="5")
    session = only_session(db)
    browser.post(f"/practice/sessions/{session.id}/finish")
    db.session.refresh(session)
    assert session.finished_at == clock.now()
    response = browser.post(f"/practice/sessions/{session.id}/questions/1", data={"answer": "true"})
    assert response.status_code == 302 and response.location.endswith("/summary")
    assert "not answered" in browser.get(f"/practice/sessions/{session.id}/summary").get_data(as_text=True)


def test_practice_is_never_counted_in_grades(login, people, unit, clock, db):
    """Starting and answering practice writes to the practice tables only, never to quiz attempts."""
    practice_tables = {"practice_sessions", "practice_items", "study_cards", "card_reviews"}

    def others():
        return {table.name: count(db, table) for table in db.metadata.sorted_tables
                if table.name not in practice_tables}

    before = others()
    browser = login(people["student"])
    start(browser, units=str(unit.id), tags="vessels", length="5")
    session = only_session(db)
    browser.post(f"/practice/sessions/{session.id}/questions/1", data={"give_up": "1"})
    assert count(db, CardReview) == 1
    after = others()
    assert {name: n for name, n in after.items() if n != before[name]} == {}


def test_teachers_practise_their_own_units(login, people, unit, clock, db):
    """A teacher can practise too."""
    browser = login(people["teacher"])
    start(browser, units=str(unit.id), length="5")
    assert only_session(db).user_id == people["teacher"].id


def due_question_card(people, unit, clock, key="mcq"):
    """A question card the student met and got wrong, now due."""
    from quiz.practice.services import record_question_outcome

    card = record_question_outcome(people["student"], unit.q[key], 0.0, clock.now()).card
    clock.advance(hours=1)
    return card


def test_the_dashboard_says_how_many_reviews_are_due(login, people, unit, clock):
    """"Review now: N due" with a link, once cards are due; the nav links to practice."""
    browser = login(people["student"])
    page = browser.get("/dashboard").get_data(as_text=True)
    assert "No reviews due" in page and 'href="/practice/"' in page
    due_question_card(people, unit, clock)
    due_question_card(people, unit, clock, "tf")
    page = browser.get("/dashboard").get_data(as_text=True)
    assert "Review now: 2 due" in page and 'href="/practice/review"' in page


def test_the_daily_review_asks_a_due_question_and_grades_it(login, people, unit, clock, db):
    """A due question card is answered with the inputs, graded, and rescheduled; then all done."""
    card = due_question_card(people, unit, clock)
    browser = login(people["student"])
    page = browser.get("/practice/review").get_data(as_text=True)
    assert "Where was the agreement signed?" in page and "Card 1 of 1 today" in page
    response = browser.post(f"/practice/review/cards/{card.id}", data={"answer": "Oslo"})
    assert "/practice/review/answers/" in response.location
    feedback = browser.get(response.location).get_data(as_text=True)
    assert "Right!" in feedback and "<mark>Oslo</mark>" in feedback
    db.session.refresh(card)
    assert card.reps == 2 and card.due > clock.now()
    assert "All done for today" in browser.get("/practice/review").get_data(as_text=True)


def test_a_card_not_due_cannot_be_reviewed(login, people, unit, clock, db):
    """Posting to a card that is not due changes nothing."""
    from quiz.practice.services import record_question_outcome

    card = record_question_outcome(people["student"], unit.q["mcq"], 1.0, clock.now()).card
    response = login(people["student"]).post(f"/practice/review/cards/{card.id}", data={"answer": "Oslo"},
                                             follow_redirects=True)
    assert "not due" in response.get_data(as_text=True)
    db.session.refresh(card)
    assert card.reps == 1


def test_another_students_card_is_not_found(login, people, unit, clock, db):
    """Reviewing someone else's card is a 404 and changes nothing."""
    card = due_question_card(people, unit, clock)
    response = login(people["other_student"]).post(f"/practice/review/cards/{card.id}",
                                                   data={"answer": "Oslo"})
    assert response.status_code == 404
    db.session.refresh(card)
    assert card.reps == 1


def test_the_daily_review_stops_after_twenty_cards(login, people, unit, clock, db):
    """A short daily review: after the day's limit, "all done for today" though cards are due."""
    from quiz.practice.models import ReviewSource
    from quiz.practice.services import DAILY_REVIEW_LIMIT

    card = due_question_card(people, unit, clock)
    for _ in range(DAILY_REVIEW_LIMIT):
        db.session.add(CardReview(card=card, rating=3, source=ReviewSource.REVIEW, reviewed_at=clock.now()))
    db.session.commit()
    page = login(people["student"]).get("/practice/review").get_data(as_text=True)
    assert "All done for today" in page and "1 more waits for tomorrow" in page


def test_a_due_flashcard_is_self_rated_in_the_review(login, people, unit, clock, db):
    """Term cards show the term; the definition on request (no JavaScript needed); then knew it."""
    from quiz.practice.services import record_term_outcome

    card = record_term_outcome(people["student"], unit, "Decree", False, clock.now()).card
    clock.advance(hours=1)
    browser = login(people["student"])
    front = browser.get("/practice/review").get_data(as_text=True)
    assert "Decree" in front and 'href="/practice/review?show=1"' in front
    assert re.search(r'data-back\s+hidden', front)
    back = browser.get("/practice/review?show=1").get_data(as_text=True)
    assert "force of law" in back and not re.search(r'data-back\s+hidden', back)
    browser.post(f"/practice/review/cards/{card.id}", data={"knew": "Knew it"})
    db.session.refresh(card)
    assert card.reps == 2 and card.reviews[-1].rating == 3 and card.reviews[-1].source == "review"


def test_flashcards_go_through_the_glossary_and_feed_the_scheduler(login, people, unit, clock, db):
    """Front is the term; show definition; knew it / didn't make cards and move to the next term."""
    browser = login(people["student"])
    page = browser.get(f"/practice/flashcards/{unit.id}").get_data(as_text=True)
    assert "Ratification" in page and "Card 1 of 2" in page
    assert f'href="/practice/flashcards/{unit.id}?i=0&amp;direction=forward&amp;show=1"' in page
    response = browser.post(f"/practice/flashcards/{unit.id}",
                            data={"term": "0", "direction": "forward", "knew": "Knew it"})
    assert response.location.endswith(f"/practice/flashcards/{unit.id}?i=1&direction=forward")
    browser.post(f"/practice/flashcards/{unit.id}", data={"term": "1", "direction": "forward",
                                                          "missed": "Didn't"})
    cards = {card.term: card for card in db.session.scalars(select(StudyCard))}
    assert {term: card.reviews[0].rating for term, card in cards.items()} == {"Ratification": 3, "Decree": 1}
    done = browser.get(f"/practice/flashcards/{unit.id}?i=2").get_data(as_text=True)
    assert "You have been through all 2 terms" in done


def test_flashcards_can_run_from_definition_to_term(login, people, unit, clock):
    """The reverse direction shows the definition first and hides the term behind the flip."""
    page = login(people["student"]).get(f"/practice/flashcards/{unit.id}?direction=reverse&show=1")
    text = page.get_data(as_text=True)
    front = re.search(r'<p class="flashcard-front">(.*?)</p>', text).group(1)
    assert "formal step" in front and "Show term" not in text


def test_a_tampered_flashcard_is_refused(login, people, unit, clock, db):
    """A term index outside the glossary, or no rating, is a 400 and stores nothing."""
    browser = login(people["student"])
    assert browser.post(f"/practice/flashcards/{unit.id}", data={"term": "9", "knew": "1"}).status_code == 400
    assert browser.post(f"/practice/flashcards/{unit.id}", data={"term": "x", "knew": "1"}).status_code == 400
    assert browser.post(f"/practice/flashcards/{unit.id}", data={"term": "0"}).status_code == 400
    assert browser.get(f"/practice/flashcards/{unit.id}?i=9").status_code == 404
    assert count(db, StudyCard) == 0


def test_another_teachers_unit_has_no_flashcards_for_this_student(login, people, other_unit, db):
    """A private unit of a teacher the student has no class with is not found."""
    browser = login(people["student"])
    assert browser.get(f"/practice/flashcards/{other_unit.id}").status_code == 404
    assert browser.post(f"/practice/flashcards/{other_unit.id}",
                        data={"term": "0", "knew": "1"}).status_code == 404
    assert count(db, StudyCard) == 0


def test_user_text_is_escaped(login, people, unit, clock, db):
    """A question stem with markup is shown as text."""
    from question_bank.model import Question as Plain
    from tests.web.practice.conftest import add_question

    add_question(unit, Plain(type="true_false", stem="<script>alert(1)</script> Is this safe?",
                             answer="true"), tags=["xss"])
    browser = login(people["student"])
    start(browser, tags="xss", length="5")
    page = browser.get(f"/practice/sessions/{only_session(db).id}/questions/1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
