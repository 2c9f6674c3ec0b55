"""Item analysis, class mastery, study cards for teachers, and a student's own progress page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from question_bank.models import QuestionStatus, Unit
from quiz.bank.services import store_question
from quiz.classes.models import MemberRole, Membership
from quiz.classes.services import create_class
from quiz.practice.models import CardKind, CardReview, PracticeItem, PracticeSession, StudyCard
from quiz.quizzes.services import add_questions, assign, create_quiz
from tests.conftest import make_user
from tests.web.progress.conftest import AUTO, PLAIN, RIGHT

WRONG = {"multiple_choice": "Bergen", "true_false": "false", "cloze": "1999", "numeric": "5",
         "short_answer": "NATO"}


def _words(page: str) -> str:
    """The page's text with tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _answers(right: set[str]) -> dict[str, str]:
    return {kind: (RIGHT if kind in right else WRONG)[kind] for kind in AUTO}


@pytest.fixture
def six_attempts(teacher, student, classroom, make_quiz, take, db):
    """Six students finish the quiz: everyone gets true/false right, nobody picks two of the distractors,
    and the cloze is got right only by the three weakest students."""
    pupils = [student] + [make_user(f"pupil{n}@example.org", f"Pupil {n}") for n in range(2, 7)]
    for pupil in pupils[1:]:
        db.session.add(Membership(classroom=classroom, user=pupil, role=MemberRole.STUDENT))
    db.session.commit()
    _, assignment = make_quiz(types=AUTO)
    plans = [{"multiple_choice", "true_false", "numeric", "short_answer"}] * 2 + [
        {"multiple_choice", "true_false", "numeric"}] + [{"true_false", "cloze"}] * 3
    for pupil, plan in zip(pupils, plans, strict=True):
        take(assignment, pupil, _answers(plan))
    return assignment


def test_item_analysis_figures_and_flags(login, teacher, six_attempts, bank):
    """Whole-quiz mean and median, and each flag on the question that earns it, with choice counts."""
    page = login(teacher).get(f"/progress/assignments/{six_attempts.id}/items").get_data(as_text=True)
    words = _words(page)
    assert "Attempts analysed 6" in words
    assert "Mean 56.7%" in words and "Median 50.0%" in words
    assert "Where was the pact signed? — distractor nobody picks" in words
    assert "Chile will receive up to 40 research vessels. — too easy" in words
    assert "The pact was signed on 3 March _____. — negative discrimination" in words
    assert "Oslo right 3 (50%) Bergen 3 (50%) Santiago 0 (0%) Lima 0 (0%)" in words
    # the cloze: facility 50%, top third 0 and bottom third 1 right, so discrimination −1
    assert re.search(r"cloze · Open in the bank to edit question 3 6 50% 0\.55 -1\.00", words)
    by_type = {q.type: q for q in bank}
    assert f'href="/bank/questions/{by_type["cloze"].id}"' in page


def test_item_analysis_before_anyone_finishes(login, teacher, make_quiz):
    """With no finished attempt the page says so instead of showing empty figures."""
    _, assignment = make_quiz(types=AUTO)
    page = login(teacher).get(f"/progress/assignments/{assignment.id}/items").get_data(as_text=True)
    assert "Nobody has finished this quiz" in page


def test_item_analysis_of_one_attempt_has_no_spread_figures(login, teacher, student, make_quiz, take):
    """A single attempt: facility only; SD, discrimination and alpha show dashes and nothing is flagged."""
    _, assignment = make_quiz(types=AUTO)
    take(assignment, student, RIGHT)
    words = _words(login(teacher).get(f"/progress/assignments/{assignment.id}/items").get_data(as_text=True))
    assert "Standard deviation — Cronbach's alpha —" in words
    assert "No question is flagged." in words


def test_class_mastery_heat_map_and_most_missed_questions(login, teacher, six_attempts):
    """Topics weakest first with each student's mastery, and the wrong answers most often given."""
    page = login(teacher).get(f"/progress/classes/{six_attempts.classroom_id}/mastery").get_data(as_text=True)
    words = _words(page)
    # signing: MC + cloze; reactions: short answer; terms: TF + numeric.
    assert words.index("Student reactions signing terms") > 0
    assert "Sam Student 100% 50% 100%" in words
    assert "Pupil 6 0% 50% 50%" in words
    assert "“Bergen” — 3 times" in words and "“NATO” — 4 times" in words
    assert 'class="heat heat-low"' in page


def test_class_mastery_counts_practice_on_the_same_topics(login, teacher, student, classroom, make_quiz, take, db,
                                                          bank, clock):
    """A wrong quiz answer then a right practice answer: the recent one counts more (1 / 1.8 = 56%)."""
    _, assignment = make_quiz(types=["multiple_choice"])
    take(assignment, student, {"multiple_choice": "Bergen"})
    session = PracticeSession(user=student, length=5, tags=["signing"], created_at=clock.now)
    session.items.append(PracticeItem(position=1, question_id=bank[0].id, fraction=1.0,
                                      answered_at=clock.now + timedelta(days=1)))
    db.session.add(session)
    db.session.commit()
    words = _words(login(teacher).get(f"/progress/classes/{classroom.id}/mastery").get_data(as_text=True))
    assert "Sam Student 56%" in words


def test_class_mastery_without_answers_explains_itself(login, teacher, classroom):
    """No finished quiz: an empty state, not an empty table."""
    page = login(teacher).get(f"/progress/classes/{classroom.id}/mastery").get_data(as_text=True)
    assert "No finished quiz answers in this class yet" in page


def _card(db, student, question, due, ratings=(), when=None):
    card = StudyCard(user=student, kind=CardKind.QUESTION, question_id=question.id, state={}, due=due,
                     reps=len(ratings), last_review_at=when if ratings else None)
    for rating in ratings:
        card.reviews.append(CardReview(rating=rating, source="review", reviewed_at=when))
    db.session.add(card)
    return card


def test_teacher_sees_cards_due_and_recall_rate(login, teacher, student, classroom, bank, db, clock):
    """Per student: cards due now, all cards, reviews and the share recalled (Hard or better)."""
    _card(db, student, bank[0], clock.now - timedelta(days=1), ratings=(1, 3), when=clock.now - timedelta(days=2))
    _card(db, student, bank[1], clock.now - timedelta(hours=1), ratings=(3, 4), when=clock.now - timedelta(days=2))
    _card(db, student, bank[2], clock.now + timedelta(days=3))
    db.session.commit()
    words = _words(login(teacher).get(f"/progress/classes/{classroom.id}/cards").get_data(as_text=True))
    assert "Sam Student 2 3 4 75%" in words


def test_student_progress_charts_scores_and_mastery_with_tables(login, student, make_quiz, take, clock):
    """Two finished quizzes: a line with two points, bars per topic, and the same figures in tables."""
    _, first = make_quiz(types=AUTO, title="First check")
    _, second = make_quiz(types=AUTO, title="Second check")
    take(first, student, _answers({"true_false", "numeric"}))
    clock.advance(days=3)
    take(second, student, RIGHT)
    page = login(student).get("/progress/").get_data(as_text=True)
    assert page.count('<circle class="point') == 2 and "<polyline" in page
    assert 'role="img"' in page and "<title id=\"scores-title\">" in page
    assert 'class="bar bar-' in page
    words = _words(page)
    assert "02 Mar 2026 First check #1 40%" in words and "05 Mar 2026 Second check #1 100%" in words
    assert "Mastery by topic Topic Mastery Answers reactions" in words
    assert "style=" not in page and "<script>" not in page.split("</head>")[1]


def test_weakest_topic_offers_practice_that_starts_on_that_topic(login, student, make_quiz, take, db):
    """The weakest topic comes with "Practise this"; sending it starts a practice session on that topic."""
    _, assignment = make_quiz(types=AUTO, attempts_allowed=2)
    take(assignment, student, _answers({"true_false", "numeric", "short_answer"}))
    take(assignment, student, _answers({"true_false", "numeric"}))
    browser = login(student)
    page = browser.get("/progress/").get_data(as_text=True)
    words = _words(page)
    assert "What to revise next signing — 0% from 4 answers Practise this reactions — 50%" in words
    assert "Strongest topics terms — 100% from 4 answers" in words
    assert 'aria-label="Practise this: signing"' in page
    assert 'name="tags" value="signing"' in page
    response = browser.post("/practice/sessions", data={"tags": "signing", "length": "10"})
    assert response.status_code == 302 and "/practice/sessions/" in response.location
    session = db.session.scalar(select(PracticeSession))
    assert session.tags == ["signing"] and session.user_id == student.id


def test_student_sees_cards_due_for_review(login, student, classroom, bank, db, clock):
    """Due cards are counted and listed, with a link to the daily review."""
    _card(db, student, bank[0], clock.now - timedelta(hours=2))
    db.session.commit()
    page = login(student).get("/progress/").get_data(as_text=True)
    assert "1 card is due" in _words(page) and "Where was the pact signed?" in page
    assert 'href="/practice/review"' in page


def test_new_student_sees_empty_states(login, student, classroom):
    """Before any quiz or practice, each section says how to fill it."""
    words = _words(login(student).get("/progress/").get_data(as_text=True))
    assert "No finished quizzes yet" in words and "No answers yet" in words
    assert "Nothing due for review now" in words


def test_teacher_progress_page_lists_their_classes(login, teacher, classroom, other_classroom):
    """A teacher's Progress page links each of their classes' reports, and no one else's."""
    page = login(teacher).get("/progress/").get_data(as_text=True)
    assert f'href="/progress/classes/{classroom.id}/gradebook"' in page
    assert f"/progress/classes/{other_classroom.id}/" not in page


def test_progress_is_linked_from_the_menu_and_the_class_page(login, teacher, student, classroom):
    """Everyone has a Progress menu entry; the class page links teachers to its gradebook and mastery."""
    assert 'href="/progress/"' in login(student).get("/dashboard").get_data(as_text=True)
    page = login(teacher).get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert f'href="/progress/classes/{classroom.id}/gradebook"' in page
    assert f'href="/progress/classes/{classroom.id}/mastery"' in page
    assert "/progress/classes/" not in login(student).get(f"/classes/{classroom.id}").get_data(as_text=True)


def test_teacher_sees_a_students_progress_in_their_class_only(login, teacher, other_teacher, student, classroom,
                                                               make_quiz, take, db):
    """From the gradebook a teacher opens a student's progress: this class's quizzes, without practice buttons."""
    _, assignment = make_quiz(types=AUTO, title="Our class quiz")
    take(assignment, student, _answers({"true_false"}))
    elsewhere = create_class(other_teacher, "Another class")
    db.session.add(Membership(classroom=elsewhere, user=student, role=MemberRole.STUDENT))
    db.session.commit()
    their_quiz = create_quiz(other_teacher, title="Their class quiz", questions_per_page=5)
    unit = Unit(slug="theirs", title="Theirs", owner=other_teacher)
    db.session.add(unit)
    question = store_question(unit, PLAIN[1], owner=other_teacher, origin="authored", status=QuestionStatus.APPROVED)
    db.session.commit()
    add_questions(their_quiz, other_teacher, [question.id])
    take(assign(their_quiz, other_teacher, elsewhere), student, RIGHT)
    browser = login(teacher)
    assert f'href="/progress/classes/{classroom.id}/students/{student.id}"' in browser.get(
        f"/progress/classes/{classroom.id}/gradebook").get_data(as_text=True)
    page = browser.get(f"/progress/classes/{classroom.id}/students/{student.id}").get_data(as_text=True)
    assert "Sam Student’s progress" in page and "Our class quiz" in page
    assert "Their class quiz" not in page
    assert "Practise this" not in page and 'action="/practice/sessions"' not in page
