"""A teacher reviews a generated question in the review queue and approves it with the keyboard."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from question_bank.models import Question, Unit
from quiz.bank.services import add_reading, generate_into_bank
from tests.conftest import PASSWORD
from tests.web.bank.conftest import ARTICLE

pytestmark = pytest.mark.browser


@pytest.fixture
def unit(teacher, db):
    """The teacher's unit with one reading and the drafts generated from it."""
    unit = Unit(slug="fisheries", title="Fisheries diplomacy", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    add_reading(unit, teacher, ARTICLE.encode(), "harbour-pact.txt")
    generate_into_bank(unit, teacher, seed=1)
    return unit


def log_in(page, user) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_teacher_reviews_and_approves_a_generated_question(app, db, page, teacher, unit):
    """From the unit page to the queue: the passage shows the answer, ``a`` approves, ``r`` rejects."""
    drafts = db.session.scalars(select(Question).where(Question.unit_id == unit.id)
                                .order_by(Question.confidence.desc(), Question.id)).all()
    first, second = drafts[0], drafts[1]
    log_in(page, teacher)
    page.goto(f"/bank/units/{unit.id}")
    page.get_by_role("link", name=re.compile(r"Review drafts")).click()
    item = page.locator(f"#review-{first.id}")
    assert item.locator("blockquote.passage").count() == 1
    assert first.stem[:30] in item.inner_text()

    page.locator(f"#review-{first.id}.is-current").wait_for()  # the shortcuts are ready
    page.keyboard.press("a")  # approve the first draft, then land on the next one
    page.wait_for_url(re.compile(rf"#review-{second.id}$"))
    assert "Approved" in page.locator(".flashes").inner_text()
    page.locator(f"#review-{second.id}.is-current").wait_for()
    page.keyboard.press("r")
    page.locator(".flashes", has_text="Rejected").wait_for()

    db.session.expire_all()
    assert db.session.get(Question, first.id).status == "approved"
    assert db.session.get(Question, second.id).status == "rejected"
    assert [e.action for e in db.session.get(Question, first.id).events][-1] == "approved"


def test_approving_with_the_button_works_too(app, db, page, teacher, unit):
    """The page works without the shortcuts: the Approve button approves."""
    first = db.session.scalars(select(Question).where(Question.unit_id == unit.id)
                               .order_by(Question.confidence.desc(), Question.id)).first()
    log_in(page, teacher)
    page.goto(f"/bank/units/{unit.id}/review")
    page.locator(f"#review-{first.id}").get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Question, first.id).status == "approved"
