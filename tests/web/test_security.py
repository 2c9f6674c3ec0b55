"""Security defaults: headers, cookies, CSRF, secrets and error pages."""

from __future__ import annotations

import re

import pytest

from quiz import create_app
from quiz.config import instance_secret
from tests.conftest import log_in

PAGES = ["/", "/auth/login", "/auth/signup", "/healthz", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client, path):
    """CSP without inline scripts, nosniff, referrer policy and no framing, everywhere."""
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(login, classroom, teacher):
    """The CSP would block inline code, so none is written."""
    browser = login(teacher)
    for path in ("/", "/dashboard", f"/classes/{classroom.id}", "/auth/profile"):
        html = browser.get(path, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html and "<style" not in html and "onclick" not in html


def test_session_cookie_is_httponly_and_lax(client, student):
    """Scripts cannot read the session cookie, and other sites cannot post with it."""
    log_in(client, student)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_cookies_are_secure_behind_https(database_url, monkeypatch):
    """With DEBRIEF_HTTPS set, cookies are only sent over HTTPS."""
    monkeypatch.setenv("DEBRIEF_HTTPS", "1")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/auth/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_post_route_rejects_a_missing_csrf_token(app, login, classroom, teacher, student):
    """Walking the URL map: no POST is accepted without the token, logged in or not (the check comes first)."""
    browsers = {"anonymous": app.test_client(), "teacher": login(teacher), "student": login(student)}
    for rule in _post_routes(app):
        path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", re.sub(r"<int:[a-z_]+>", "1", rule.rule))
        for name, browser in browsers.items():
            response = browser.post(path, data={"name": "x"}, csrf=False)
            assert response.status_code == 400, f"{path} as {name}"
            assert "The form expired" in response.get_data(as_text=True)


def test_a_forged_csrf_token_is_rejected(login, classroom, teacher):
    """A token from another session does not work."""
    response = login(teacher).post(f"/classes/{classroom.id}/code", data={"csrf_token": "forged.token.value"})
    assert response.status_code == 400


def test_state_changes_refuse_get(app, login, classroom, teacher):
    """Routes that change things answer GET with 405."""
    browser = login(teacher)
    for path in ("/auth/logout", f"/classes/{classroom.id}/code", f"/classes/{classroom.id}/leave",
                 f"/classes/{classroom.id}/joining/closed", f"/classes/{classroom.id}/teachers"):
        assert browser.get(path).status_code == 405, path


def test_secret_key_is_generated_once_and_kept(tmp_path):
    """Without SECRET_KEY in the environment, one random key is made and reused."""
    first = instance_secret(str(tmp_path))
    assert len(first) == 64 and instance_secret(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("key", [None, "", "dev", "short-key", "changeme"])
def test_production_refuses_a_weak_secret_key(monkeypatch, key):
    """Production will not start with a missing, default or short key."""
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_starts_with_a_strong_key(monkeypatch, database_url):
    """A long random key is accepted, and cookies are Secure by default."""
    monkeypatch.setenv("SECRET_KEY", "a" * 16 + "b" * 16 + "c" * 16)
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"]


def test_unknown_config_name_is_refused():
    """A typo in DEBRIEF_CONFIG is reported, not ignored."""
    with pytest.raises(RuntimeError, match="Unknown DEBRIEF_CONFIG"):
        create_app("prodution")


def test_healthz_reports_the_database(client):
    """The health check answers JSON with the database state."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database(database_url, tmp_path):
    """An unreachable database gives 503, not a crash."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "missing" / "x.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_not_found_page_is_friendly(client):
    """Unknown URLs get a helpful page with a way back."""
    response = client.get("/nowhere")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'href="/"' in page


def test_unexpected_errors_show_a_friendly_500(database_url):
    """A crash in a view shows the error page, never a traceback."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page and "kaboom" not in page and "Traceback" not in page


def test_database_outage_shows_503(tmp_path):
    """When the database cannot be reached, pages say so with 503 rather than a 500 trace."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "gone" / "x.db"),
                     WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@b.org", "password": "whatever1"})
    assert response.status_code == 503 and "briefly unavailable" in response.get_data(as_text=True)


def test_database_outage_shows_503_to_a_logged_in_user(tmp_path):
    """A logged-in user whose session cannot be loaded during an outage gets the 503 page, not a bare 500."""
    from flask_migrate import upgrade

    from quiz.extensions import db
    from tests.conftest import CsrfClient, log_in, make_user

    folder = tmp_path / "data"
    folder.mkdir()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///" + str(folder / "live.sqlite"))
    app.test_client_class = CsrfClient
    with app.app_context():
        upgrade(revision="heads")
        student = make_user("pupil@example.org", "Pupil")
        browser = log_in(app.test_client(), student)
        db.session.remove()
        db.engine.dispose()
        folder.rename(tmp_path / "gone")  # the database disappears: every new connection fails
        response = browser.get("/dashboard")
        db.engine.dispose()
    assert response.status_code == 503 and "briefly unavailable" in response.get_data(as_text=True)
