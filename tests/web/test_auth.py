"""Sign up, log in, log out, profile and password."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from quiz.auth.models import User
from quiz.auth.services import set_invite_code
from tests.conftest import PASSWORD, log_in, make_user

SIGNUP = {"display_name": "Nia Newcomer", "email": "Nia@Example.org", "password": "a sturdy passphrase",
          "confirm": "a sturdy passphrase", "role": "student"}


CSRF_TOKEN = re.compile(r'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]+')


def without_csrf_tokens(page: str) -> str:
    """A page with its CSRF tokens blanked."""
    return CSRF_TOKEN.sub(r"\1", page)


def test_student_signs_up_and_lands_on_dashboard(client, db):
    """A student signs up with valid details and is logged in."""
    response = client.post("/auth/signup", data=SIGNUP)
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    user = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert user.role == "student" and user.display_name == "Nia Newcomer"
    assert user.password_hash.startswith("$argon2id$") and "sturdy" not in user.password_hash
    assert "Nia Newcomer" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "not-an-email", "Invalid email"),
    ("display_name", "", "This field is required"),
    ("password", "short", "at least 8 characters"),
    ("password", "password123", "too common"),
    ("confirm", "something else entirely", "The passwords differ"),
])
def test_signup_rejects_bad_fields(client, db, field, value, message):
    """Each bad field is reported beside it and no account is made."""
    data = dict(SIGNUP, **{field: value})
    if field == "password":
        data["confirm"] = value
    response = client.post("/auth/signup", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_signup_missing_fields_are_reported(client, db):
    """An empty form is refused with messages, not an error page."""
    response = client.post("/auth/signup", data={})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("This field is required") >= 3


def test_signup_with_taken_email_is_refused(client, db, student):
    """Emails are unique, whatever their case."""
    response = client.post("/auth/signup", data=dict(SIGNUP, email="STUDENT@example.org"))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_teacher_signup_needs_the_invitation_code(client, db):
    """Without the right code nobody becomes a teacher; with it they do."""
    code = set_invite_code("school-2026")
    data = dict(SIGNUP, role="teacher")
    assert client.post("/auth/signup", data=data).status_code == 422
    assert client.post("/auth/signup", data=dict(data, invite_code="wrong-code")).status_code == 422
    assert db.session.scalar(select(User)) is None
    response = client.post("/auth/signup", data=dict(data, invite_code=code))
    assert response.status_code == 302
    assert db.session.scalar(select(User)).role == "teacher"


def test_nobody_signs_up_as_admin(client, db):
    """The admin role is not offered on the form."""
    response = client.post("/auth/signup", data=dict(SIGNUP, role="admin"))
    assert response.status_code == 422
    assert db.session.scalar(select(User)) is None


def test_login_and_logout(client, student):
    """Logging in opens the dashboard; logging out ends it."""
    log_in(client, student)
    assert client.get("/dashboard").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_a_hash_made_with_other_settings_is_redone_at_login(app, client, student, db):
    """An account hashed with older cost settings logs in, and its hash moves to today's settings."""
    from argon2 import PasswordHasher

    from quiz.auth.passwords import needs_rehash

    student.password_hash = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert needs_rehash(student.password_hash)
    log_in(client, student)
    db.session.refresh(student)
    assert not needs_rehash(student.password_hash)
    assert student.password_hash.startswith("$argon2id$")


def test_the_shipped_hash_settings_are_an_owasp_minimum_for_argon2id():
    """Production hashes with one of OWASP's equivalent argon2id minimums (memory in KiB, passes)."""
    from quiz.config import DefaultConfig, ProductionConfig, TestingConfig

    owasp = {(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)}
    for config in (DefaultConfig, ProductionConfig):
        cost = config.PASSWORD_HASH
        assert (cost["memory_cost"], cost["time_cost"]) in owasp and cost["parallelism"] == 1
    assert TestingConfig.PASSWORD_HASH["memory_cost"] < 7168  # tests hash cheaply on purpose


def test_wrong_password_and_unknown_user_get_the_same_answer(client, student):
    """Nobody can tell from the reply whether an email has an account."""
    wrong = client.post("/auth/login", data={"email": student.email, "password": "not the password"})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "whatever"})
    assert wrong.status_code == unknown.status_code == 401
    # The pages' CSRF tokens carry the second they were signed in, so two requests may differ there alone.
    assert without_csrf_tokens(wrong.get_data(as_text=True)) == without_csrf_tokens(
        unknown.get_data(as_text=True).replace("nobody@example.org", student.email))
    assert "do not match an account" in wrong.get_data(as_text=True)


def test_login_is_case_insensitive_on_email(client, student):
    """People type their email with capitals."""
    response = client.post("/auth/login", data={"email": "Student@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302


def test_failed_logins_per_account_are_rate_limited(client, student):
    """After five failures a minute the account refuses even the right password for a while."""
    for _ in range(5):
        failed = client.post("/auth/login", data={"email": student.email, "password": "bad guess!"})
        assert failed.status_code == 401
    response = client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.get_data(as_text=True)


def test_failed_logins_per_address_are_rate_limited(app, client):
    """One address trying many accounts is stopped too."""
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    for number in range(3):
        client.post("/auth/login", data={"email": f"guess{number}@example.org", "password": "x" * 10})
    response = client.post("/auth/login", data={"email": "guess9@example.org", "password": "x" * 10})
    assert response.status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(app):
    """A whole class behind one school address can log in at once."""
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per minute"
    for number in range(6):
        user = make_user(f"pupil{number}@example.org", f"Pupil {number}")
        log_in(app.test_client(), user)


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example",
    "javascript:alert(1)", "http:/evil.example", " //evil.example", "/\t/evil.example",
])
def test_login_never_redirects_off_site(client, student, target):
    """A crafted ``next`` never leads a browser to another host or a script URL."""
    response = client.post("/auth/login", data={"email": student.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    resolved = urlsplit(urljoin("http://localhost/auth/login", response.location))
    assert resolved.scheme == "http" and resolved.netloc == "localhost"
    assert response.location == "/dashboard"


def test_login_follows_a_local_next(client, student):
    """``next`` inside the site is honoured."""
    response = client.post("/auth/login",
                           data={"email": student.email, "password": PASSWORD, "next": "/classes/"})
    assert response.location == "/classes/"


def test_login_page_carries_next_from_the_query(client, student):
    """Being sent to log in keeps where the user was going."""
    response = client.get("/dashboard")
    assert response.status_code == 302 and "next=%2Fdashboard" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/dashboard"' in page


def test_logout_invalidates_a_copied_session_cookie(app, student):
    """After logout, a cookie copied before it no longer logs anyone in."""
    browser = log_in(app.test_client(), student)
    stolen = browser.get_cookie("session").value
    browser.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/dashboard").status_code == 302


def test_remember_me_sets_a_long_lived_cookie(client, student):
    """Ticking "remember me" keeps the user logged in after the browser session ends."""
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only


def test_login_starts_a_new_session(client, student):
    """Nothing set in the session before login survives it (no session fixation)."""
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, student)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_profile_changes_display_name(login, student, db):
    """A user renames themself."""
    browser = login(student)
    response = browser.post("/auth/profile", data={"display_name": "Samira S."})
    assert response.status_code == 302
    db.session.refresh(student)
    assert student.display_name == "Samira S."


def test_change_password_checks_the_current_one(login, student):
    """The current password must be right; then the new one works and the old one does not."""
    browser = login(student)
    new = {"password": "a newer passphrase", "confirm": "a newer passphrase"}
    bad = browser.post("/auth/password", data={"current_password": "wrong one", **new})
    assert bad.status_code == 422 and "not correct" in bad.get_data(as_text=True)
    good = browser.post("/auth/password", data={"current_password": PASSWORD, **new})
    assert good.status_code == 302
    assert browser.get("/dashboard").status_code == 200
    fresh = browser.application.test_client()
    assert fresh.post("/auth/login", data={"email": student.email, "password": PASSWORD}).status_code == 401
    assert fresh.post("/auth/login", data={"email": student.email,
                                           "password": "a newer passphrase"}).status_code == 302
