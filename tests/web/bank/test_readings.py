"""Units and readings in the browser: create a unit, add, generate from and delete readings, copy."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from question_bank.models import Question, Source, Unit
from tests.web.bank.conftest import ARTICLE


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_teacher_creates_a_unit(login, teacher, db):
    """A unit needs a title; the new unit is the teacher's."""
    browser = login(teacher)
    assert browser.post("/bank/units/new", data={"title": ""}).status_code == 422
    response = browser.post("/bank/units/new", data={"title": "Fisheries diplomacy", "subject": "Civics"})
    unit = db.session.scalar(select(Unit).where(Unit.title == "Fisheries diplomacy"))
    assert response.location == f"/bank/units/{unit.id}"
    assert unit.owner_id == teacher.id and unit.slug == "fisheries-diplomacy"


def test_upload_a_reading_then_generate_drafts_for_review(login, teacher, small_unit, db):
    """Upload → passages → generate chosen types → the review queue for that reading."""
    browser = login(teacher)
    text = ARTICLE.replace("Oslo", "Trondheim").replace("Chile", "Peru")
    response = browser.post(f"/bank/units/{small_unit.id}/readings/new", data={
        "file": (io.BytesIO(text.encode()), "peru-pact.txt"), "publisher": "Harbour Times"},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    source = db.session.scalar(select(Source).where(Source.publisher == "Harbour Times"))
    assert source.title == "Harbour Pact Signed" and len(source.passages) >= 3
    response = browser.post(f"/bank/sources/{source.id}/generate",
                            data={"types": ["cloze", "true_false"], "count": "4"})
    assert response.location.startswith(f"/bank/units/{small_unit.id}/review?source={source.id}")
    made = db.session.scalars(select(Question).where(Question.origin == "generated")).all()
    assert 0 < len(made) <= 4 and {q.type for q in made} <= {"cloze", "true_false"}
    assert all(q.status == "draft" and q.passage.source_id == source.id for q in made)
    queue = browser.get(response.location).get_data(as_text=True)
    assert made[0].stem.split()[0] in queue


def test_paste_a_reading(login, teacher, small_unit, db):
    """Pasted Markdown is read like an upload, with the details typed in."""
    text = "# Quota talks\n\n" + ARTICLE.split("\n\n", 3)[3].replace("Oslo", "Reykjavik")
    response = login(teacher).post(f"/bank/units/{small_unit.id}/readings/new", data={
        "text": text, "text_format": "markdown", "published": "2025-04"})
    assert response.status_code == 302, response.get_data(as_text=True)
    source = db.session.scalar(select(Source).where(Source.title == "Quota talks"))
    assert source.published == "2025-04" and source.name.endswith(".md")


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.txt", "empty"),
    (b"\x00\x01\x02binary\x00" * 50, "blob.txt", "not text"),
    (b"x" * (5 * 1024 * 1024 + 1), "huge.txt", "5 MB"),
    (b"%PDF-1.4 broken", "broken.pdf", "PDF"),
    (ARTICLE.encode(), "again.txt", "already in the unit"),
])
def test_bad_uploads_are_explained_and_store_nothing(login, teacher, small_unit, db, data, name, message):
    """Empty, binary, over-size, unreadable and repeated files get a message beside the field."""
    browser = login(teacher)
    # Encoded here, in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": browser.csrf_token(),
                                       "file": FileStorage(io.BytesIO(data), filename=name)})
    response = browser.post(f"/bank/units/{small_unit.id}/readings/new", data=body, csrf=False,
                            content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, Source, Source.unit_id == small_unit.id) == 1


def test_file_and_text_together_are_refused(login, teacher, small_unit, db):
    """One reading at a time: a file or pasted text."""
    response = login(teacher).post(f"/bank/units/{small_unit.id}/readings/new", data={
        "file": (io.BytesIO(b"Some words here."), "a.txt"), "text": "Other words."},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "not both" in response.get_data(as_text=True)


@pytest.mark.parametrize(("then", "status"), [("keep", "draft"), ("retire", "retired")])
def test_deleting_a_reading_keeps_or_retires_its_questions(login, teacher, small_unit, db, then, status):
    """Its questions keep the quoted passage (pages still work) or are retired."""
    source = db.session.scalar(select(Source).where(Source.unit_id == small_unit.id))
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    browser = login(teacher)
    response = browser.post(f"/bank/sources/{source.id}/delete", data={"then": then})
    assert response.location == f"/bank/units/{small_unit.id}"
    db.session.refresh(question)
    assert question.status == status and question.passage_id is None and question.citation["passage"]
    page = browser.get(f"/bank/questions/{question.id}")
    assert page.status_code == 200 and "the reading has been removed" in page.get_data(as_text=True)
    assert browser.get(f"/bank/questions/{question.id}/edit").status_code == 200


def test_readings_library_lists_counts(login, teacher, small_unit, shipped, db):
    """The library lists the teacher's and the shipped readings with passage and question counts."""
    page = login(teacher).get("/bank/readings").get_data(as_text=True)
    assert page.count("Harbour Pact Signed") == 2 and "Small unit" in page and "Shipped unit" in page
    assert "<caption>2 readings" in page


def test_copying_the_shipped_unit_gives_an_editable_copy(login, teacher, shipped, db):
    """The copy has the readings and approved questions, linked to the copied passages."""
    browser = login(teacher)
    response = browser.post(f"/bank/units/{shipped.id}/copy")
    copy = db.session.scalar(select(Unit).where(Unit.owner_id == teacher.id))
    assert response.location == f"/bank/units/{copy.id}"
    question = db.session.scalar(select(Question).where(Question.unit_id == copy.id))
    assert question.status == "approved" and question.origin == "copied"
    assert question.passage.source.unit_id == copy.id
    assert browser.get(f"/bank/questions/{question.id}/edit").status_code == 200
    original = db.session.scalar(select(Question).where(Question.unit_id == shipped.id))
    assert browser.get(f"/bank/questions/{original.id}/edit").status_code == 403


def test_copying_one_question_into_a_new_unit(login, teacher, shipped, db):
    """Copying a shipped question without a unit of one's own makes “My questions”."""
    original = db.session.scalar(select(Question).where(Question.unit_id == shipped.id))
    response = login(teacher).post(f"/bank/questions/{original.id}/copy", data={"unit": "0"})
    copy = db.session.scalar(select(Question).where(Question.owner_id == teacher.id))
    assert response.location == f"/bank/questions/{copy.id}"
    assert copy.unit.title == "My questions" and copy.stem == original.stem
    assert copy.events[0].detail["from_question"] == original.id


def test_copying_into_another_teachers_unit_is_refused(login, teacher, shipped, other_unit, db):
    """The target must be one of the teacher's own units."""
    original = db.session.scalar(select(Question).where(Question.unit_id == shipped.id))
    login(teacher).post(f"/bank/questions/{original.id}/copy", data={"unit": str(other_unit.id)})
    assert count(db, Question, Question.unit_id == other_unit.id) == 0
