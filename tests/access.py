"""Access-matrix helpers: each feature's tests list (method, URL, expected status per persona)."""

from __future__ import annotations

import pytest

from tests.conftest import log_in

PERSONAS = ("anonymous", "student", "other_student", "teacher", "other_teacher", "admin")
LOGIN = 302  # sent to the login page
AWAY = 302   # sent elsewhere (a logged-in user on the login page, or after a POST)


def row(anonymous, student, other_student, teacher, other_teacher, admin=None) -> dict[str, int]:
    """Expected statuses per persona; the admin, who belongs to no class, defaults to the other teacher's."""
    return dict(zip(PERSONAS, (anonymous, student, other_student, teacher, other_teacher,
                               other_teacher if admin is None else admin), strict=True))


def cases(matrix):
    """pytest parameters, one per route and persona."""
    return [pytest.param(method, url, persona, expected[persona], id=f"{method} {url} as {persona}")
            for method, url, expected in matrix for persona in PERSONAS]


def check(app, people: dict, method: str, path: str, persona: str, status: int) -> None:
    """Request ``path`` as ``persona`` and assert the status (and the login redirect for strangers)."""
    client = app.test_client()
    if persona != "anonymous":
        log_in(client, people[persona])
    response = client.post(path, data={}) if method == "POST" else client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == LOGIN and persona == "anonymous":
        assert "/auth/login" in response.location


def uncovered(app, matrix, blueprints: set[str], placeholders: dict[str, str]) -> list[str]:
    """Routes of ``blueprints`` that the matrix does not list (``placeholders`` map {x} to <int:x_id>)."""
    covered = set()
    for method, url, _ in matrix:
        for short, converter in placeholders.items():
            url = url.replace("{" + short + "}", converter)
        covered.add((method, url))
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in blueprints:
            continue
        path = rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, path) not in covered:
                missing.append(f"{method} {path}")
    return missing
