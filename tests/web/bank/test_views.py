"""Bank pages: who may see them, and what they show."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from question_bank.models import Question, Source
from tests.access import AWAY, LOGIN, cases, check, row, uncovered

# {u} is the teacher's unit, {s} its reading, {q} a draft question citing it. Students get 403
# everywhere; another teacher (and the admin, who owns no unit) gets 404 for the teacher's things.
MATRIX = [
    ("GET", "/bank/", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/bank/readings", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/bank/questions", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/bank/export", row(LOGIN, 403, 403, 200, AWAY)),  # nothing to export: back to the browser
    ("GET", "/bank/units/new", row(LOGIN, 403, 403, 200, 200)),
    ("POST", "/bank/units/new", row(LOGIN, 403, 403, 422, 422)),
    ("GET", "/bank/units/{u}", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/bank/units/{u}/edit", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/units/{u}/edit", row(LOGIN, 403, 403, AWAY, 404)),  # missing fields keep their values
    ("POST", "/bank/units/{u}/copy", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/bank/units/{u}/questions", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/bank/units/{u}/questions/new", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/units/{u}/questions/new", row(LOGIN, 403, 403, 422, 404)),
    ("GET", "/bank/units/{u}/review", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/units/{u}/review/bulk", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/bank/units/{u}/readings/new", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/units/{u}/readings/new", row(LOGIN, 403, 403, 422, 404)),
    ("GET", "/bank/units/{u}/import", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/units/{u}/import", row(LOGIN, 403, 403, 422, 404)),
    ("GET", "/bank/sources/{s}", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/sources/{s}/generate", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/bank/sources/{s}/delete", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/bank/questions/{q}", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/bank/questions/{q}/edit", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/bank/questions/{q}/edit", row(LOGIN, 403, 403, 422, 404)),  # no choice is marked correct
    ("POST", "/bank/questions/{q}/approve", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/bank/questions/{q}/reject", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/bank/questions/{q}/retire", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/bank/questions/{q}/restore", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/bank/questions/{q}/copy", row(LOGIN, 403, 403, AWAY, 404)),
]

# The same routes on a shipped unit: every teacher reads and copies it; nobody changes it.
SHIPPED_MATRIX = [
    ("GET", "/bank/units/{u}", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/bank/units/{u}/edit", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/units/{u}/copy", row(LOGIN, 403, 403, AWAY, AWAY)),
    ("GET", "/bank/units/{u}/review", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/units/{u}/questions/new", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/units/{u}/readings/new", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/units/{u}/import", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/sources/{s}/generate", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/sources/{s}/delete", row(LOGIN, 403, 403, 403, 403)),
    ("GET", "/bank/questions/{q}", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/bank/questions/{q}/edit", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/questions/{q}/retire", row(LOGIN, 403, 403, 403, 403)),
    ("POST", "/bank/questions/{q}/copy", row(LOGIN, 403, 403, AWAY, AWAY)),
]


def _urls(db, unit, url: str) -> str:
    source = db.session.scalar(select(Source).where(Source.unit_id == unit.id))
    question = db.session.scalar(select(Question).where(Question.unit_id == unit.id))
    return url.format(u=unit.id, s=source.id, q=question.id)


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_bank_access_matrix(app, db, people, small_unit, method, url, persona, status):
    """Students never see the bank; teachers see only their own units and the shipped ones."""
    check(app, people, method, _urls(db, small_unit, url), persona, status)


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(SHIPPED_MATRIX))
def test_shipped_unit_access_matrix(app, db, people, shipped, method, url, persona, status):
    """A shipped unit is read and copied by every teacher, and changed by none (403, not 404)."""
    check(app, people, method, _urls(db, shipped, url), persona, status)


def test_bank_matrix_covers_every_route(app):
    """Every bank route has its row."""
    placeholders = {"u": "<int:unit_id>", "s": "<int:source_id>", "q": "<int:question_id>"}
    assert uncovered(app, MATRIX, {"bank"}, placeholders) == []


def test_reading_page_lists_questions_under_their_passage(login, teacher, unit, db):
    """Each passage shows the questions that cite it, with links."""
    source = db.session.scalar(select(Source).where(Source.unit_id == unit.id))
    question = db.session.scalar(select(Question).where(Question.unit_id == unit.id))
    page = login(teacher).get(f"/bank/sources/{source.id}").get_data(as_text=True)
    assert f'id="passage-{question.passage.index}"' in page
    assert f'href="/bank/questions/{question.id}"' in page


def test_question_page_highlights_the_answer_in_its_passage(login, teacher, unit, db):
    """The cited passage is shown with the answer marked, and the history lists its generation."""
    question = db.session.scalar(select(Question).where(Question.unit_id == unit.id,
                                                        Question.type == "cloze"))
    page = login(teacher).get(f"/bank/questions/{question.id}").get_data(as_text=True)
    assert "<mark>" in page and "generated by Tess Teacher" in page


def test_question_list_filters_by_status_and_pages(login, teacher, unit, db):
    """The status tabs filter, and long lists are split into pages."""
    browser = login(teacher)
    drafts = browser.get(f"/bank/units/{unit.id}/questions?status=draft").get_data(as_text=True)
    assert "status-draft" in drafts and "status-approved\">approved" not in drafts
    approved = browser.get(f"/bank/units/{unit.id}/questions?status=approved").get_data(as_text=True)
    assert "No questions here yet" in approved


def test_shipped_unit_page_shows_notes_glossary_timeline_and_sources(app, login, teacher, db):
    """The first unit's page has its study notes, glossary, timeline and source list."""
    from quiz.bank.services import load_shipped_units

    unit = load_shipped_units(material=None)[0]
    page = login(teacher).get(f"/bank/units/{unit.id}").get_data(as_text=True)
    for heading in ("Study notes", "Glossary", "Timeline", "Sources"):
        assert heading in page
    assert "Polis" in page and "Comprehensive Strategic Partnership" in page
