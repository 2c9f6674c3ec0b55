"""A student closes the tab in the middle of a timed quiz, comes back, finishes, and sees the review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def assigned_quiz(teacher, classroom, db):
    """A ten-minute quiz of a multiple-choice and a cloze question, set for ``classroom``."""
    from question_bank.model import Question as Plain
    from question_bank.models import Unit
    from quiz.bank.services import store_question
    from quiz.quizzes.services import add_questions, assign, create_quiz

    unit = Unit(slug="harbour", title="Harbour pact", owner=teacher)
    db.session.add(unit)
    questions = [
        store_question(unit, Plain(type="multiple_choice", stem="Where was the pact signed?", answer="Oslo",
                                   choices=["Oslo", "Bergen", "Lima", "Quito"]), owner=teacher,
                       origin="authored", status="approved"),
        store_question(unit, Plain(type="cloze", stem="The pact was signed in _____ 2025.", answer="March"),
                       owner=teacher, origin="authored", status="approved"),
    ]
    db.session.commit()
    quiz = create_quiz(teacher, title="Harbour check", time_limit_minutes=10, questions_per_page=1,
                       shuffle_choices=False)
    add_questions(quiz, teacher, [q.id for q in questions])
    assign(quiz, teacher, classroom)
    return quiz


def log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_closing_the_tab_loses_nothing(browser, live_server, student, assigned_quiz):
    """The answer autosaved before the tab closed is there on return; the attempt finishes and is reviewed."""
    context = browser.new_context(base_url=live_server)
    tab = context.new_page()
    log_in(tab, student.email)
    tab.get_by_role("link", name="Harbour check").first.click()
    tab.get_by_role("button", name="Start attempt").click()
    tab.wait_for_url(re.compile(r"/quizzes/attempts/\d+"))
    assert "Time left" in tab.locator(".attempt-bar").inner_text()
    tab.get_by_label("Oslo").check()
    # A locator assertion, not wait_for_function: the page's CSP forbids the eval that one needs.
    expect(tab.locator("#save-state")).to_have_attribute("data-kind", "saved")
    tab.close()  # the tab is gone: no page change, no form submitted

    back = context.new_page()
    back.goto("/dashboard")
    back.get_by_role("link", name="Harbour check").first.click()
    back.get_by_role("link", name="Continue your attempt").click()
    assert back.get_by_label("Oslo").is_checked()
    back.get_by_role("button", name="Save and next →").click()
    back.get_by_label("The missing word or words").fill("March")
    back.get_by_role("button", name="Finish attempt…").click()
    back.get_by_role("button", name="Submit my answers").click()
    back.wait_for_url(re.compile(r"/review$"))
    main = back.locator("main").inner_text()
    assert "2.0 / 2.0 (100%)" in main
    context.close()
