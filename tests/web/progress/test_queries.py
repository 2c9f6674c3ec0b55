"""No progress page's number of SQL statements grows with the number of students, attempts or questions."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bench.gradebook import build_class
from quiz.classes.services import create_class


class StatementCounter:
    """Counts the statements sent to the database while it is switched on."""

    def __init__(self, engine) -> None:
        self.engine, self.count, self.on = engine, 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        if self.on:
            self.count += 1

    def get(self, client, url: str) -> int:
        """Statements issued by one GET of ``url``."""
        self.count, self.on = 0, True
        try:
            response = client.get(url)
        finally:
            self.on = False
        assert response.status_code == 200, (url, response.status_code)
        return self.count

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@pytest.fixture
def counter(db):
    """A statement counter on the app's engine."""
    counting = StatementCounter(db.engine)
    yield counting
    counting.close()


def _logged_in(app, user_id: int):
    """A client already logged in as the user (no login requests to count)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = f"{user_id}:1", True
    return client


@pytest.fixture
def small_and_large(app, db, teacher):
    """Two of the teacher's classes: 5 students and 200, each with 3 quizzes of 6 questions all finished."""
    small, large = create_class(teacher, "Small class"), create_class(teacher, "Large class")
    return {
        "small": (small, build_class(db, teacher, small, students=5, quizzes=3, questions=6, seed=1)),
        "large": (large, build_class(db, teacher, large, students=200, quizzes=3, questions=6, seed=2)),
    }


@pytest.mark.parametrize("page", ["gradebook", "gradebook.csv", "gradebook.json", "mastery", "cards"])
def test_class_reports_issue_the_same_statements_for_5_and_200_students(app, teacher, small_and_large, counter,
                                                                         page):
    """The class's reports cost the same number of statements whatever the class's size."""
    client = _logged_in(app, teacher.id)
    counts = {size: counter.get(client, f"/progress/classes/{classroom.id}/{page}")
              for size, (classroom, _) in small_and_large.items()}
    assert counts["small"] == counts["large"] > 3, counts


def test_item_analysis_issues_the_same_statements_for_5_and_200_students(app, teacher, small_and_large, counter):
    """Item analysis costs the same whatever the number of attempts and answers."""
    client = _logged_in(app, teacher.id)
    counts = {size: counter.get(client, f"/progress/assignments/{built['assignments'][0]}/items")
              for size, (_, built) in small_and_large.items()}
    assert counts["small"] == counts["large"] > 3, counts


def test_grade_page_issues_the_same_statements_for_5_and_200_students(app, teacher, small_and_large, counter):
    """One student's grade page does not grow with the class."""
    client = _logged_in(app, teacher.id)
    counts = {size: counter.get(client, f"/progress/assignments/{built['assignments'][0]}/students/"
                                        f"{built['students'][0]}")
              for size, (_, built) in small_and_large.items()}
    assert counts["small"] == counts["large"] > 3, counts


def test_student_progress_issues_the_same_statements_for_any_class_size_and_history(app, db, teacher,
                                                                                     small_and_large, counter):
    """A student's page costs the same in a class of 5 or of 200, and with 3 quizzes behind them or 8."""
    small_student = small_and_large["small"][1]["students"][0]
    large_student = small_and_large["large"][1]["students"][0]
    busy = build_class(db, teacher, small_and_large["large"][0], students=1, quizzes=8, questions=6, seed=3)
    counts = [counter.get(_logged_in(app, user_id), "/progress/")
              for user_id in (small_student, large_student, busy["students"][0])]
    assert counts[0] == counts[1] == counts[2] > 3, counts


def test_teachers_view_of_a_student_issues_the_same_statements_for_5_and_200_students(app, teacher,
                                                                                       small_and_large, counter):
    """A student's progress seen by their teacher does not grow with the class either."""
    client = _logged_in(app, teacher.id)
    counts = {size: counter.get(client, f"/progress/classes/{classroom.id}/students/{built['students'][0]}")
              for size, (classroom, built) in small_and_large.items()}
    assert counts["small"] == counts["large"] > 3, counts
