"""Teachers build quizzes: settings, questions from the bank, random rules, preview and assignment."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from question_bank.models import Question, QuestionStatus, Unit
from quiz.quizzes.models import Attempt, Quiz
from quiz.quizzes.services import QuizError, add_rule, draw_questions


def test_teacher_creates_a_quiz_with_settings(login, teacher, db):
    """Every setting of the form is stored."""
    response = login(teacher).post("/quizzes/new", data={
        "title": "Treaty check", "instructions": "Read the notes first.", "time_limit_minutes": "20",
        "opens_at": "2026-03-02T09:00", "closes_at": "2026-03-09T17:00", "attempts_allowed": "2",
        "grading_method": "average", "shuffle_questions": "y", "questions_per_page": "4", "pass_mark": "60",
        "review_when": "after_close", "review_score": "y", "review_correct": "y"})
    assert response.status_code == 302
    quiz = db.session.scalar(select(Quiz))
    assert (quiz.title, quiz.time_limit_minutes, quiz.attempts_allowed, quiz.grading_method) == \
        ("Treaty check", 20, 2, "average")
    assert quiz.shuffle_questions and not quiz.shuffle_choices and quiz.questions_per_page == 4
    assert quiz.pass_mark == 60 and quiz.review_when == "after_close"
    assert quiz.review_score and quiz.review_correct and not quiz.review_answers and not quiz.review_explanations
    assert quiz.opens_at.hour == 9 and quiz.opens_at.tzinfo is not None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "This field is required"),
    ("time_limit_minutes", "0", "between 1 and 600"),
    ("closes_at", "2026-03-01T09:00", "after the opening time"),
    ("grading_method", "best-of-luck", "Not a valid choice"),
    ("pass_mark", "120", "between 0 and 100"),
])
def test_quiz_settings_are_validated(login, teacher, db, field, value, message):
    """Bad settings are reported beside the field and nothing is stored."""
    data = {"title": "Check", "attempts_allowed": "1", "grading_method": "highest", "questions_per_page": "5",
            "review_when": "immediately", "opens_at": "2026-03-02T09:00", field: value}
    response = login(teacher).post("/quizzes/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Quiz.id))) == 0


def test_only_approved_readable_questions_can_be_added(login, teacher, other_teacher, bank, db):
    """Drafts and another teacher's questions are refused; the quiz is unchanged."""
    browser = login(teacher)
    browser.post("/quizzes/new", data={"title": "Q", "attempts_allowed": "1", "grading_method": "highest",
                                       "questions_per_page": "5", "review_when": "immediately"})
    quiz = db.session.scalar(select(Quiz))
    draft = bank[1]
    draft.status = QuestionStatus.DRAFT
    other = Unit(slug="x", title="Other's", owner=other_teacher)
    foreign = Question(unit=other, type="true_false", stem="Secret?", answer="true", status="approved")
    db.session.add_all([other, foreign])
    db.session.commit()
    for bad in (draft.id, foreign.id):
        response = browser.post(f"/quizzes/{quiz.id}/questions", data={"question_ids": [bank[0].id, bad],
                                                                       "marks": "1"})
        assert response.status_code == 422 and "Only approved questions" in response.get_data(as_text=True)
    db.session.refresh(quiz)
    assert quiz.items == []
    browser.post(f"/quizzes/{quiz.id}/questions", data={"question_ids": [bank[0].id, bank[2].id], "marks": "2"})
    db.session.refresh(quiz)
    assert [item.question_id for item in quiz.items] == [bank[0].id, bank[2].id] and quiz.total_marks == 4


def test_random_rule_draws_per_attempt_without_repeats(teacher, bank, db, make_quiz):
    """N random questions matching the rule, none repeated, none already chosen by hand."""
    quiz, _ = make_quiz(types=["multiple_choice"])
    add_rule(quiz, teacher, count=3, tags=["signing", "terms", "reactions"],
             types=["true_false", "cloze", "numeric", "short_answer", "matching", "multiple_choice"])
    for seed in range(10):
        drawn = [q.id for q, _ in draw_questions(quiz, random.Random(seed))]
        assert len(drawn) == 4 and len(set(drawn)) == 4 and drawn[0] == bank[0].id


def test_random_rule_that_cannot_be_filled_is_refused(teacher, make_quiz):
    """Asking for more questions than match says how many there are."""
    quiz, _ = make_quiz()
    with pytest.raises(QuizError, match="Only 1 approved questions match"):
        add_rule(quiz, teacher, count=5, types=["ordering"])


def test_questions_can_be_reordered_and_removed(login, teacher, make_quiz, db):
    """Up, down and remove change the quiz's order."""
    quiz, _ = make_quiz(types=["multiple_choice", "true_false", "cloze"])
    first, second, third = quiz.items
    browser = login(teacher)
    browser.post(f"/quizzes/{quiz.id}/items/{third.id}/move/up")
    browser.post(f"/quizzes/{quiz.id}/items/{first.id}/remove")
    db.session.expire_all()
    assert [item.id for item in db.session.get(Quiz, quiz.id).items] == [third.id, second.id]


def test_preview_shows_the_quiz_and_records_nothing(login, teacher, make_quiz, db):
    """The preview renders every question's inputs without an attempt."""
    quiz, _ = make_quiz()
    page = login(teacher).get(f"/quizzes/{quiz.id}/preview").get_data(as_text=True)
    assert "Where was the pact signed?" in page and 'type="radio"' in page and "<textarea" in page
    assert "nothing is recorded" in page
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_assigning_needs_questions_and_a_class_of_ones_own(login, teacher, other_classroom, db, classroom):
    """An empty quiz cannot be assigned, nor any quiz to another teacher's class."""
    browser = login(teacher)
    browser.post("/quizzes/new", data={"title": "Empty", "attempts_allowed": "1", "grading_method": "highest",
                                       "questions_per_page": "5", "review_when": "immediately"})
    quiz = db.session.scalar(select(Quiz))
    page = browser.post(f"/quizzes/{quiz.id}/assign", data={"classroom_id": classroom.id},
                        follow_redirects=True).get_data(as_text=True)
    assert "Add questions to the quiz before assigning it" in page
    response = browser.post(f"/quizzes/{quiz.id}/assign", data={"classroom_id": other_classroom.id})
    assert response.status_code == 302
    db.session.refresh(quiz)
    assert quiz.assignments == []


def test_withdrawing_is_refused_once_students_started(login, teacher, student, make_quiz, db):
    """A class's attempts are never thrown away by withdrawing the quiz."""
    from quiz.quizzes.services import start_attempt

    quiz, assignment = make_quiz()
    start_attempt(assignment, student)
    page = login(teacher).post(f"/quizzes/{quiz.id}/assignments/{assignment.id}/remove",
                               follow_redirects=True).get_data(as_text=True)
    assert "Students have started this quiz" in page
    db.session.refresh(quiz)
    assert len(quiz.assignments) == 1


def test_editing_settings_warns_when_attempts_exist(login, teacher, student, make_quiz):
    """The settings page says changes apply only to new attempts."""
    from quiz.quizzes.services import start_attempt

    quiz, assignment = make_quiz()
    start_attempt(assignment, student)
    assert "attempts already started keep" in login(teacher).get(f"/quizzes/{quiz.id}/edit").get_data(as_text=True)


def test_per_class_dates_override_the_quiz_dates(teacher, make_quiz, clock):
    """A class's own closing time wins over the quiz's."""
    from datetime import timedelta

    quiz, assignment = make_quiz(closes_at=clock.now + timedelta(days=7),
                                 assignment_dates=(None, clock.now + timedelta(days=2)))
    assert assignment.closes == clock.now + timedelta(days=2)
    assert assignment.opens is None and quiz.closes_at == clock.now + timedelta(days=7)
