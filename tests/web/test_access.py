"""Who may open what: every route against every kind of visitor."""

from __future__ import annotations

import pytest

from tests.conftest import log_in

PERSONAS = ("anonymous", "student", "other_student", "teacher", "other_teacher", "admin")
LOGIN = 302  # sent to the login page
AWAY = 302   # sent elsewhere (a logged-in user on the login page, or after a POST)


def row(anonymous, student, other_student, teacher, other_teacher, admin=None):
    return dict(zip(PERSONAS, (anonymous, student, other_student, teacher, other_teacher,
                               other_teacher if admin is None else admin), strict=True))


# (method, URL template, expected status per persona). {c} is the teacher's class with the
# student in it; {s} the student's id; {t} the teacher's id; {ot} the other teacher's id.
MATRIX = [
    ("GET", "/", row(200, AWAY, AWAY, AWAY, AWAY)),
    ("GET", "/healthz", row(200, 200, 200, 200, 200)),
    ("GET", "/dashboard", row(LOGIN, 200, 200, 200, 200)),
    ("GET", "/auth/signup", row(200, AWAY, AWAY, AWAY, AWAY)),
    ("POST", "/auth/signup", row(422, AWAY, AWAY, AWAY, AWAY)),
    ("GET", "/auth/login", row(200, AWAY, AWAY, AWAY, AWAY)),
    ("POST", "/auth/login", row(422, AWAY, AWAY, AWAY, AWAY)),
    ("POST", "/auth/logout", row(LOGIN, AWAY, AWAY, AWAY, AWAY)),
    ("GET", "/auth/profile", row(LOGIN, 200, 200, 200, 200)),
    ("POST", "/auth/profile", row(LOGIN, AWAY, AWAY, AWAY, AWAY)),  # missing fields keep their values
    ("GET", "/auth/password", row(LOGIN, 200, 200, 200, 200)),
    ("POST", "/auth/password", row(LOGIN, 422, 422, 422, 422)),
    ("GET", "/classes/", row(LOGIN, 200, 200, 200, 200)),
    ("GET", "/classes/new", row(LOGIN, 403, 403, 200, 200)),
    ("POST", "/classes/new", row(LOGIN, 403, 403, 422, 422)),
    ("GET", "/classes/{c}", row(LOGIN, 200, 404, 200, 404)),
    ("GET", "/classes/{c}/edit", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/classes/{c}/edit", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/classes/{c}/code", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/classes/{c}/joining/closed", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/classes/{c}/joining/open", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/classes/join", row(LOGIN, 200, 200, 403, 403)),
    ("POST", "/classes/join", row(LOGIN, 422, 422, 403, 403)),
    ("POST", "/classes/{c}/leave", row(LOGIN, AWAY, 404, 403, 403)),
    ("POST", "/classes/{c}/students/{s}/remove", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/classes/{c}/teachers", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/classes/{c}/teachers/{t}/remove", row(LOGIN, 403, 403, AWAY, 404)),
]

CASES = [pytest.param(method, url, persona, expected[persona], id=f"{method} {url} as {persona}")
         for method, url, expected in MATRIX for persona in PERSONAS]


@pytest.fixture
def world(classroom, other_classroom, teacher, student, other_student, other_teacher, admin):
    """Two classes, each with a teacher and a student, plus an admin."""
    return {"student": student, "other_student": other_student, "teacher": teacher,
            "other_teacher": other_teacher, "admin": admin, "classroom": classroom}


@pytest.mark.parametrize(("method", "url", "persona", "status"), CASES)
def test_access_matrix(app, world, method, url, persona, status):
    """Each persona gets the expected status from each route."""
    client = app.test_client()
    if persona != "anonymous":
        log_in(client, world[persona])
    path = url.format(c=world["classroom"].id, s=world["student"].id, t=world["teacher"].id,
                      ot=world["other_teacher"].id)
    response = client.post(path, data={}) if method == "POST" else client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == LOGIN and persona == "anonymous":
        assert "/auth/login" in response.location


def test_matrix_covers_every_route(app):
    """A new route must be added to the matrix, so nobody forgets its access rules."""
    covered = {(method, url.replace("{c}", "<int:class_id>").replace("{s}", "<int:user_id>")
                .replace("{t}", "<int:user_id>")) for method, url, _ in MATRIX}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.rule.replace("<any(open, closed):state>", "open")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, path) not in covered:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes missing from the access matrix: {missing}"
