"""Who may open what: every account and class route against every kind of visitor."""

from __future__ import annotations

import pytest

from tests.access import AWAY, LOGIN, cases, check, row, uncovered

# (method, URL template, expected status per persona). {c} is the teacher's class with the
# student in it; {s} the student's id; {t} the teacher's id; {ot} the other teacher's id.
MATRIX = [
    ("GET", "/", row(200, AWAY, AWAY, AWAY, AWAY)),
    ("GET", "/healthz", row(200, 200, 200, 200, 200)),
    ("GET", "/livez", row(200, 200, 200, 200, 200)),
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



@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_access_matrix(app, people, method, url, persona, status):
    """Each persona gets the expected status from each route."""
    path = url.format(c=people["classroom"].id, s=people["student"].id, t=people["teacher"].id)
    check(app, people, method, path, persona, status)


def test_matrix_covers_every_route(app):
    """A new route must be added to the matrix, so nobody forgets its access rules."""
    missing = uncovered(app, MATRIX, {"main", "auth", "classes"},
                        {"c": "<int:class_id>", "s": "<int:user_id>", "t": "<int:user_id>"})
    missing = [m for m in missing if "<any(open, closed):state>" not in m]
    assert not missing, f"routes missing from the access matrix: {missing}"
