"""Cross-site scripting through stored data: a class whose every piece of user text is a string of known
payloads, and every page of the app, as its teacher and its student, searched for active content."""

from __future__ import annotations

import pytest
from markupsafe import escape

from tests.attacks.conftest import World, build_side, fill, routes
from tests.attacks.test_xss import PAYLOADS, active_content
from tests.conftest import make_user


def packed(payloads: list[str], width: int = 200) -> list[str]:
    """The payloads joined into as few strings of at most ``width`` characters as fit (titles hold 200)."""
    groups: list[str] = []
    for payload in sorted(payloads, key=len, reverse=True):
        for index, group in enumerate(groups):
            if len(group) + 1 + len(payload) <= width:
                groups[index] = f"{group} {payload}"
                break
        else:
            groups.append(payload)
    return groups


GROUPS = packed(PAYLOADS)


def test_every_payload_is_in_a_group():
    """Packing loses no payload and keeps each group within a title's length."""
    assert all(any(payload in group for group in GROUPS) for payload in PAYLOADS)
    assert all(len(group) <= 200 for group in GROUPS) and len(GROUPS) <= 5


@pytest.fixture(scope="module", params=GROUPS, ids=[f"group{n}" for n in range(len(GROUPS))])
def poisoned(request, database_url):
    """A class whose names, titles, texts, answers, feedback and comments are all one group of payloads."""
    from quiz import create_app
    from quiz.classes.models import MemberRole, Membership
    from quiz.classes.services import create_class
    from quiz.extensions import db
    from tests.conftest import CsrfClient, _empty_database

    payload = request.param
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = CsrfClient
    with app.app_context():
        teacher = make_user("teacher@example.org", "Tess", "teacher")
        student = make_user("student@example.org", "Sam")
        classroom = create_class(teacher, "Civics", "Civics", "Autumn")
        db.session.add(Membership(classroom=classroom, user=student, role=MemberRole.STUDENT))
        db.session.commit()
        side = build_side("a", teacher, student, classroom, db, label=lambda what: payload)
        db.session.commit()
        yield World(app=app, people={"teacher": teacher, "student": student}, a=side, b=side)
        db.session.rollback()
        _empty_database(db)
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("persona", ["teacher", "student"])
def test_no_page_runs_a_payload_stored_in_any_field(poisoned, persona):
    """Every GET page shows the stored payloads as text: no script, handler or script URL of theirs."""
    browser = poisoned.client(persona)
    problems, shown = [], 0
    for rule in routes(poisoned.app, "GET"):
        if rule.endpoint == "static":
            continue
        path = fill(rule, poisoned.a)
        response = browser.get(path)
        assert response.status_code < 500, f"GET {path} as {persona}"
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            problems += [f"{path}: {found}" for found in active_content(html)]
            shown += str(escape(poisoned.a.markers["quiz"])) in html
    assert problems == []
    assert shown >= 3, "the walk saw the payloads (the quiz title) on several pages"
