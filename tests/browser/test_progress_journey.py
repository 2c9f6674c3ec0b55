"""A teacher reads the gradebook and overrides a grade; a student reads their progress and practises
their weakest topic — in a real browser, with the app's Content-Security-Policy in force."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.web.progress.conftest import AUTO, RIGHT, take  # noqa: F401 - fixtures
from tests.web.quizzes.conftest import bank, clock, make_quiz  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def log_in(page, user) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_gradebook_override_and_student_progress(app, page, new_page, teacher, student, classroom,
                                                 make_quiz, take, tmp_path):  # noqa: F811 - imported fixtures
    """The teacher finds the gradebook from the class page and overrides a grade; the student sees charts
    with their tables and starts practising the weakest topic."""
    _, assignment = make_quiz(types=AUTO, attempts_allowed=2)
    take(assignment, student, {"true_false": RIGHT["true_false"], "numeric": RIGHT["numeric"]})
    take(assignment, student, {"true_false": RIGHT["true_false"]})
    problems = []

    def note(message):  # CSP violations and script errors show as console errors (the favicon's 404 aside)
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            problems.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", note)

    log_in(page, teacher)
    page.goto(f"/classes/{classroom.id}")
    page.get_by_role("link", name="Gradebook").click()
    grid = page.get_by_role("table", name=re.compile("Grades in Civics A"))
    assert "Sam Student" in grid.inner_text() and "40%" in grid.inner_text()
    page.screenshot(path=tmp_path / "gradebook.png", full_page=True)
    grid.get_by_role("link", name="40%").click()
    page.get_by_label("Grade (%)").fill("65")
    page.get_by_label("Reason").fill("Answered the numeric question aloud.")
    page.get_by_role("button", name="Save grade").click()
    assert "Sam Student's grade is now 65%" in page.content()
    page.get_by_role("link", name="Gradebook").click()
    assert "65%" in page.get_by_role("table", name=re.compile("Grades in Civics A")).inner_text()

    pupil = new_page()
    pupil.on("console", note)
    log_in(pupil, student)
    pupil.get_by_role("link", name="Progress").click()
    assert pupil.get_by_role("img", name="Quiz scores over time").is_visible()
    assert pupil.get_by_role("img", name="Mastery by topic").is_visible()
    pupil.get_by_text("Mastery as a table").click()
    assert "signing" in pupil.get_by_role("table", name="Mastery by topic").inner_text()
    pupil.screenshot(path=tmp_path / "progress.png", full_page=True)
    pupil.get_by_role("button", name="Practise this: signing").click()
    pupil.wait_for_url(re.compile(r"/practice/sessions/\d+/questions/1$"))
    assert problems == [], problems
