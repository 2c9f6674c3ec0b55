"""Nothing of another user's leaks into any page: every GET route, as every persona, with the ids of
both classes' objects, is searched for the other class's markers and a classmate's private work."""

from __future__ import annotations

import pytest

from tests.attacks.conftest import PERSONAS, fill, routes


def leaks(world, persona: str) -> list[str]:
    """Every (page, marker) where ``persona`` sees something that is not theirs to see."""
    browser = world.client(persona)
    hidden = world.forbidden(persona)
    found = []
    for rule in routes(world.app, "GET"):
        if rule.endpoint == "static":
            continue
        for side in ("a", "b"):
            path = fill(rule, world.side(side))
            response = browser.get(path)
            body = response.get_data(as_text=True) + response.headers.get("Location", "")
            assert response.status_code < 500, f"GET {path} as {persona}"
            found += [f"{path}: {what} ({text})" for what, text in hidden.items() if text in body]
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_another_users_things(world, persona):
    """The other class's units, readings, questions, quizzes, prompts, rubrics, posts, names and emails,
    and a classmate's answers, feedback, essay and grade comments, appear on no page."""
    assert leaks(world, persona) == []


def test_the_markers_are_really_on_the_owners_pages(world):
    """The search above would find a leak: each marker shows on its owner's own pages."""
    teacher, student = world.client("teacher"), world.client("student")
    ids, markers, private = world.a.ids, world.a.markers, world.a.private
    assert markers["reading"] in teacher.get(f"/bank/sources/{ids['source']}").get_data(as_text=True)
    assert private["studentemail"] in teacher.get(f"/classes/{ids['class']}").get_data(as_text=True)
    assert markers["post"] in student.get(f"/discussions/{ids['discussion']}").get_data(as_text=True)
    assert private["essay"] in student.get(f"/essays/{ids['essay_assignment']}").get_data(as_text=True)
    assert private["essay"] in teacher.get(f"/essays/submissions/{ids['essay']}").get_data(as_text=True)
    review = student.get(f"/quizzes/attempts/{ids['done']}/review").get_data(as_text=True)
    assert private["answer"] in review and private["feedback"] in review
