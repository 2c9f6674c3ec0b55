"""A teacher signs up and creates a class; a student signs up, joins it and shows on the roster."""

from __future__ import annotations

import re

import pytest

from quiz.auth.services import set_invite_code

pytestmark = pytest.mark.browser


def sign_up(page, name: str, email: str, role: str, invite_code: str = "") -> None:
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase")
    page.get_by_label("Repeat password").fill("a sturdy passphrase")
    page.get_by_label("Teacher" if role == "teacher" else "Student", exact=True).check()
    if invite_code:
        page.get_by_label("Teacher invitation code").fill(invite_code)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_teacher_and_student_meet_in_a_class(app, page, new_page):
    """The whole first-day journey, in a real browser."""
    code = set_invite_code("staffroom-2026")
    sign_up(page, "Tess Teacher", "tess@example.org", "teacher", code)
    page.get_by_role("link", name="New class").first.click()
    page.get_by_label("Class name").fill("Year 11 Civics")
    page.get_by_label("Term").fill("Autumn")
    page.get_by_role("button", name="Create class").click()
    join_code = page.locator("#join-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{7}", join_code)

    student = new_page()
    sign_up(student, "Sam Student", "sam@example.org", "student")
    student.get_by_role("link", name="Join a class").first.click()
    student.get_by_label("Join code").fill(join_code.lower())
    student.get_by_role("button", name="Join").click()
    assert "You have joined Year 11 Civics" in student.content()

    page.reload()
    roster = page.get_by_role("table", name="Students in Year 11 Civics")
    assert "Sam Student" in roster.inner_text() and "sam@example.org" in roster.inner_text()
