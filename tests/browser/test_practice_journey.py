"""A student revises alone: flashcards that flip in place, then a practice question with feedback."""

from __future__ import annotations

import re

import pytest

from question_bank.model import Question as Plain
from tests.conftest import PASSWORD
from tests.web.practice.conftest import GLOSSARY, add_question, make_unit

pytestmark = pytest.mark.browser


def log_in(page, user) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_a_student_revises_a_unit_alone(app, page, classroom, teacher, student):
    """Flashcards flip without a page load and feed the scheduler; practice gives feedback at once."""
    unit = make_unit(teacher, "fisheries", "Fisheries diplomacy", glossary=GLOSSARY)
    add_question(unit, Plain(type="multiple_choice", stem="Where was the agreement signed?", answer="Oslo",
                             choices=["Oslo", "Santiago", "Bergen"], explanation="It was signed in Oslo."),
                 passage=unit.sources[0].passages[0])
    log_in(page, student)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()

    page.get_by_role("link", name="Fisheries diplomacy").click()
    assert page.locator(".flashcard-front").inner_text() == "Ratification"
    url = page.url
    page.get_by_role("link", name="Show definition").click()
    assert page.url == url
    assert "formal step" in page.locator("#card-back").inner_text()
    page.get_by_role("button", name="Knew it").click()
    assert page.locator(".flashcard-front").inner_text() == "Decree"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.get_by_label("Fisheries diplomacy (1 questions)").check()
    page.get_by_label("5 questions").check()
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Oslo").check()
    page.get_by_role("button", name="Check my answer").click()
    assert "Right!" in page.content()
    assert page.locator("mark").first.inner_text() == "Oslo"
    page.get_by_role("link", name="See how you did").click()
    assert "1 out of 1 (100%)" in page.content()
