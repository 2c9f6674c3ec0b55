"""Bank services: readings in, questions stored with their citations and history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from question_bank.models import Passage, Question, QuestionEvent, QuestionStatus, Source, Unit
from question_bank.readings import ReadingError
from quiz.bank.services import BankError, add_reading, generate_into_bank, load_shipped_units
from tests.web.bank.conftest import ARTICLE


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_reading_is_stored_with_exact_passages(unit, db):
    """Every stored passage is the exact slice of the stored text."""
    source = db.session.scalar(select(Source).where(Source.unit_id == unit.id))
    assert source.title == "Harbour Pact Signed" and source.published == "2025-03-03"
    assert len(source.passages) >= 3
    for passage in source.passages:
        assert source.text[passage.start:passage.end] == passage.text


def test_generated_questions_cite_their_passage(unit, db):
    """Each generated question links the passage whose text its citation quotes."""
    questions = db.session.scalars(select(Question).where(Question.unit_id == unit.id)).all()
    assert len(questions) >= 5
    for question in questions:
        assert question.status == QuestionStatus.DRAFT and question.origin == "generated"
        assert question.passage is not None
        assert question.citation["passage"] == question.passage.text
        assert question.events[0].action == "generated"


def test_generating_twice_adds_nothing_twice(unit, teacher, db):
    """The same seed over the same readings finds every question already in the bank."""
    before = count(db, Question, Question.unit_id == unit.id)
    assert generate_into_bank(unit, teacher, seed=1) == []
    assert count(db, Question, Question.unit_id == unit.id) == before


def test_same_text_twice_is_refused(unit, teacher, db):
    """Re-adding a reading is detected and stores nothing."""
    with pytest.raises(BankError, match="already in the unit"):
        add_reading(unit, teacher, ARTICLE.encode(), "copy-of-it.txt")
    db.session.rollback()
    assert count(db, Source, Source.unit_id == unit.id) == 1


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.txt", "empty"),
    (b"\x00\x01\x02binary\x00" * 50, "blob.txt", "not text"),
    (b"x" * (5 * 1024 * 1024 + 1), "huge.txt", "5 MB"),
    (b"%PDF-1.4 broken", "broken.pdf", "PDF"),
])
def test_bad_uploads_store_nothing(unit, teacher, db, data, name, message):
    """Empty, binary, over-size and unreadable files are refused with a clear message."""
    with pytest.raises(ReadingError, match=message):
        add_reading(unit, teacher, data, name)
    db.session.rollback()
    assert count(db, Source, Source.unit_id == unit.id) == 1


def test_deleting_a_reading_keeps_question_citations(unit, db):
    """Questions outlive their reading: the citation text stays, the passage link clears."""
    source = db.session.scalar(select(Source).where(Source.unit_id == unit.id))
    db.session.delete(source)
    db.session.commit()
    db.session.expire_all()
    questions = db.session.scalars(select(Question).where(Question.unit_id == unit.id)).all()
    assert questions and all(q.passage_id is None and q.citation["passage"] for q in questions)
    assert count(db, Passage) == 0


def test_shipped_unit_loads_once_from_its_own_notes(app, db):
    """Without the original articles, the unit's notes, glossary and timeline give its bank."""
    loaded = load_shipped_units(material=None)
    assert [u.slug for u in loaded] == ["russia-dprk-treaty"]
    unit = loaded[0]
    assert unit.owner_id is None and unit.is_shipped
    kinds = {s.kind for s in unit.sources}
    assert kinds == {"notes", "glossary", "timeline"}
    assert len(unit.glossary) >= 15 and len(unit.timeline) >= 20
    types = set(db.session.scalars(select(Question.type).where(Question.unit_id == unit.id)))
    assert types >= {"multiple_choice", "true_false", "cloze", "matching", "ordering"}
    approved = count(db, Question, Question.unit_id == unit.id, Question.status == "approved")
    assert approved >= 30
    assert count(db, QuestionEvent, QuestionEvent.action == "approved") == approved
    assert load_shipped_units(material=None) == []
    assert count(db, Unit) == 1


def test_shipped_unit_with_the_articles_has_its_readings(app, db, material_dir):
    """With the five articles beside the repo, they become the unit's readings, cited by questions."""
    unit = load_shipped_units(material=material_dir)[0]
    readings = [s for s in unit.sources if s.kind == "reading"]
    assert len(readings) == 5
    assert {s.publisher for s in readings} == {"KSG", "Polis", "Insight Fortnight", "USI of India", "TDA"}
    cited = db.session.scalar(select(func.count(Question.id)).join(Passage, Question.passage_id == Passage.id)
                              .join(Source).where(Source.kind == "reading"))
    assert cited >= 100
