"""Walking the whole URL map: state changes need POST and a CSRF token, every page carries the security
headers, and every route with an id is listed in some access matrix."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.attacks.conftest import PERSONAS, fill, routes

TESTS = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def fetch(browser, path: str):
    """GET ``path`` and close the response (static files hold an open file until then)."""
    response = browser.get(path)
    response.get_data()
    response.close()
    return response


def post_only(app):
    """Rules that answer POST, at URLs that no rule answers with GET."""
    readable = {rule.rule for rule in routes(app, "GET")}
    return [rule for rule in routes(app, "POST") if rule.rule not in readable]


@pytest.mark.parametrize("persona", PERSONAS)
def test_state_changes_refuse_get(world, persona):
    """Every POST-only route answers GET with 405, for everyone: a link or an image cannot change anything."""
    browser = world.client(persona)
    before = world.counts()
    for rule in post_only(world.app):
        path = fill(rule, world.a)
        response = browser.get(path)
        assert response.status_code == 405, f"GET {path} as {persona}"
        assert "That action is not allowed here" in response.get_data(as_text=True)
    assert world.counts() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_post_route_needs_a_csrf_token(world, persona):
    """Every route accepting POST refuses one without a token (400), whoever sends it, and stores nothing."""
    browser = world.client(persona)
    before = world.counts()
    for rule in routes(world.app, "POST"):
        path = fill(rule, world.a)
        for data in ({"name": "x"}, {"name": "x", "csrf_token": "forged.token.value"}):
            response = browser.post(path, data=data, csrf=False)
            assert response.status_code == 400, f"POST {path} as {persona} with {data}"
            assert "The form expired" in response.get_data(as_text=True)
    assert world.counts() == before


def test_a_json_body_does_not_skip_the_csrf_check(world):
    """A script posting JSON (or text/plain, which forms on other sites can send) is refused too."""
    browser = world.client("teacher")
    for rule in routes(world.app, "POST"):
        path = fill(rule, world.a)
        assert browser.post(path, json={"title": "x"}, csrf=False).status_code == 400, path
        assert browser.post(path, data="title=x", content_type="text/plain", csrf=False).status_code == 400, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_carries_the_security_headers(world, persona):
    """CSP, nosniff, no framing and the referrer policy on every GET route, whatever it answers."""
    browser = world.client(persona)
    for rule in routes(world.app, "GET"):
        path = fill(rule, world.a)
        response = fetch(browser, path)
        assert response.status_code < 500, f"GET {path} as {persona}: {response.status_code}"
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "object-src 'none'" in csp and "base-uri 'self'" in csp and "form-action 'self'" in csp, path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("Referrer-Policy") == "same-origin", path


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_needs_inline_code(world, persona):
    """The CSP would block inline scripts, styles and handlers, so no page may rely on one."""
    browser = world.client(persona)
    for rule in routes(world.app, "GET"):
        response = fetch(browser, fill(rule, world.a))
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
            found = pattern.search(html)
            assert found is None, f"{rule.rule} as {persona}: {html[found.start():found.start() + 80]}"


def test_downloads_are_attachments_with_their_type(world):
    """Files the app sends (CSV, JSON, exports) say what they are and download rather than render."""
    browser = world.client("teacher")
    for rule in routes(world.app, "GET"):
        response = fetch(browser, fill(rule, world.a))
        if response.status_code == 200 and response.mimetype not in ("text/html", "text/css"):
            assert response.mimetype in ("text/csv", "application/json", "text/plain", "application/zip"), \
                f"{rule.rule}: {response.mimetype}"
            if rule.endpoint not in ("main.healthz", "main.livez") and "/state" not in rule.rule:
                disposition = response.headers.get("Content-Disposition", "")
                assert disposition.startswith("attachment"), f"{rule.rule}: {disposition!r}"


# --------------------------------------------------------------------------- every id in a matrix


def access_matrices() -> dict[str, list]:
    """Every ``*MATRIX`` list in the test modules under tests/, by module name."""
    found = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        source = path.read_text()
        if not re.search(r"^\w*MATRIX\w* = \[", source, re.MULTILINE):
            continue
        name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if attribute.endswith("MATRIX") and isinstance(value, list):
                found[f"{name}.{attribute}"] = value
    return found


def rule_pattern(rule) -> re.Pattern:
    """A regex matching the rule's URL written as a matrix writes it: ``{x}`` or a literal for each variable."""
    parts, last = [], 0
    for match in re.finditer(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", rule.rule):
        parts.append(re.escape(rule.rule[last:match.start()]))
        converter, arguments = match.group(1), match.group(2)
        choices = [c.strip() for c in arguments.split(",")] if converter == "any" else []
        parts.append("(?:" + "|".join([r"\{\w+\}", *map(re.escape, choices)]) + ")")
        last = match.end()
    parts.append(re.escape(rule.rule[last:]))
    return re.compile("^" + "".join(parts) + "$")


def test_every_id_bearing_route_is_in_an_access_matrix(app):
    """A new route with an id in it fails the suite until some feature's access matrix lists it."""
    matrices = access_matrices()
    assert len(matrices) >= 5, f"found only {sorted(matrices)}"
    rows = [(method, url) for matrix in matrices.values() for method, url, _ in matrix]
    missing = []
    for method in ("GET", "POST"):
        for rule in routes(app, method):
            if "<int:" not in rule.rule:
                continue
            pattern = rule_pattern(rule)
            if not any(m == method and pattern.match(url) for m, url in rows):
                missing.append(f"{method} {rule.rule}")
    assert not missing, "id-bearing routes in no access matrix (tests/web/**/test_*.py):\n" + "\n".join(missing)


def test_the_matrix_finder_sees_a_listed_route(app):
    """The meta-test above really matches matrix rows to rules (it is not vacuous)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "quizzes.move_question")
    pattern = rule_pattern(rule)
    assert pattern.match("/quizzes/{q}/items/{i}/move/down")
    assert not pattern.match("/quizzes/{q}/items/{i}/move/sideways")
    assert not pattern.match("/quizzes/{q}/items/move/down")
