"""Writing and editing questions by hand: validation per type, preview, versions and history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from question_bank.models import Question, QuestionEvent, Source
from tests.web.bank.conftest import make_question


def form_for(qtype: str, **fields) -> dict:
    """A filled-in editor form for ``qtype``: stem plus the given fields, saved as a draft."""
    return {"qtype": qtype, "stem": "Where was the pact signed?", "difficulty": "medium", "passage": "0",
            "save": "Save", **fields}


VALID = {
    "multiple_choice": {"choices-0-text": "Oslo", "choices-0-correct": "y", "choices-1-text": "Bergen",
                        "choices-2-text": "Lima"},
    "true_false": {"truth": "true"},
    "cloze": {"stem": "The pact was signed in ___ in March.", "answer": "Oslo", "accepted": "oslo city"},
    "numeric": {"answer": "40", "tolerance": "2", "number_unit": "vessels"},
    "matching": {"pairs-0-term": "EU", "pairs-0-match": "welcomed it", "pairs-1-term": "Greenpeace",
                 "pairs-1-match": "warned"},
    "ordering": {"items-0": "Talks", "items-1": "Signing", "items-2": "Surveys"},
    "short_answer": {"answer": "Oslo", "accepted": "Christiania"},
    "essay": {"answer": "Look for both sides."},
}

INVALID = [
    ("multiple_choice", {"choices-0-text": "Oslo", "choices-1-text": "Bergen"}, "Mark the correct choice"),
    ("multiple_choice", {"choices-0-text": "Oslo", "choices-0-correct": "y", "choices-1-text": "Bergen",
                         "choices-1-correct": "y"}, "exactly one choice"),
    ("multiple_choice", {"choices-0-text": "Oslo", "choices-0-correct": "y", "choices-1-text": "oslo"},
     "must be different"),
    ("multiple_choice", {"choices-0-text": "Oslo", "choices-0-correct": "y"}, "at least two choices"),
    ("true_false", {}, "true or false"),
    ("cloze", {"stem": "No blank here.", "answer": "Oslo"}, "exactly one blank"),
    ("cloze", {"stem": "Two _____ blanks _____.", "answer": "Oslo"}, "found 2"),
    ("cloze", {"stem": "Signed in _____."}, "fills the blank"),
    ("numeric", {"answer": "forty"}, "plain number"),
    ("numeric", {"answer": "2,000"}, "plain number"),
    ("numeric", {"answer": "40", "tolerance": "-1"}, "tolerance as a number"),
    ("matching", {"pairs-0-term": "EU", "pairs-0-match": "welcomed it"}, "at least two pairs"),
    ("matching", {"pairs-0-term": "EU", "pairs-1-term": "UN", "pairs-1-match": "x"}, "both a term"),
    ("ordering", {"items-0": "Only one"}, "at least two items"),
    ("ordering", {"items-0": "Same", "items-1": "same"}, "must be different"),
    ("short_answer", {}, "Give the answer"),
    ("short_answer", {"answer": "a -> b"}, "Moodle"),
]


@pytest.mark.parametrize("qtype", sorted(VALID))
def test_each_type_can_be_written_by_hand(login, teacher, small_unit, db, qtype):
    """A valid form of every type is stored as an authored draft with its history."""
    response = login(teacher).post(f"/bank/units/{small_unit.id}/questions/new?type={qtype}",
                                   data=form_for(qtype, **VALID[qtype]))
    assert response.status_code == 302, response.get_data(as_text=True)
    question = db.session.scalar(select(Question).where(Question.type == qtype,
                                                        Question.origin == "authored",
                                                        Question.owner_id == teacher.id)
                                 .order_by(Question.id.desc()))
    assert question.status == "draft" and question.version == 1
    assert [event.action for event in question.events] == ["authored"]
    plain = question.to_plain()
    if qtype == "multiple_choice":
        assert plain.answer == "Oslo" and plain.choices == ["Oslo", "Bergen", "Lima"]
    if qtype == "cloze":
        assert plain.stem == "The pact was signed in _____ in March."
        assert plain.accepted == ["Oslo", "oslo city"]
    if qtype == "numeric":
        assert (plain.answer, plain.tolerance, plain.unit) == ("40", 2.0, "vessels")
    if qtype == "matching":
        assert plain.pairs == [("EU", "welcomed it"), ("Greenpeace", "warned")]
    if qtype == "ordering":
        assert plain.items == ["Talks", "Signing", "Surveys"]


@pytest.mark.parametrize(("qtype", "fields", "message"), INVALID)
def test_invalid_questions_are_explained_and_not_stored(login, teacher, small_unit, db, qtype, fields,
                                                        message):
    """Each type's rule gives a message beside the field, a 422, and stores nothing."""
    before = db.session.scalar(select(func.count(Question.id)))
    response = login(teacher).post(f"/bank/units/{small_unit.id}/questions/new?type={qtype}",
                                   data=form_for(qtype, **fields))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'class="error"' in page
    assert db.session.scalar(select(func.count(Question.id))) == before


def test_preview_shows_the_student_view_without_saving_or_answers(login, teacher, small_unit, db):
    """Preview draws the question as students get it, free of the answer, and saves nothing."""
    before = db.session.scalar(select(func.count(Question.id)))
    data = form_for("multiple_choice", **VALID["multiple_choice"], explanation="Secret reasoning")
    data.pop("save")
    data["preview"] = "Preview"
    response = login(teacher).post(f"/bank/units/{small_unit.id}/questions/new?type=multiple_choice",
                                   data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "as a student will see it" in page
    preview = page[page.index('class="student-view"'):page.index("Not saved yet")]
    assert 'type="radio"' in preview and "Bergen" in preview
    assert "correct" not in preview.lower() and "Secret reasoning" not in preview
    assert db.session.scalar(select(func.count(Question.id))) == before


@pytest.mark.parametrize(("action", "expected"), [
    ("add-choices", ["Oslo", "Bergen", "Lima", "", ""]),
    ("remove-choices-1", ["Oslo", "Lima", "", ""]),  # the editor keeps four rows at least
    ("up-choices-2", ["Oslo", "Lima", "Bergen", ""]),
    ("down-choices-0", ["Bergen", "Oslo", "Lima", ""]),
])
def test_choice_rows_are_added_removed_and_moved_without_javascript(login, teacher, small_unit, action,
                                                                    expected):
    """The row buttons re-draw the form with the rows changed, keeping what was typed and ticked."""
    data = form_for("multiple_choice", **VALID["multiple_choice"], **{"choices-3-text": ""}, layout=action)
    data.pop("save")
    response = login(teacher).post(f"/bank/units/{small_unit.id}/questions/new?type=multiple_choice",
                                   data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    texts = [value for _, value in re.findall(r'id="choices-(\d+)-text"[^>]*value="([^"]*)"', page)]
    assert texts == expected
    ticked = re.search(r'<input checked id="choices-(\d+)-correct"', page)
    assert ticked and expected[int(ticked.group(1))] == "Oslo"


def test_editing_bumps_the_version_and_records_before_and_after(login, teacher, small_unit, db):
    """An edit stores a new version with an ``edited`` event naming the changed fields."""
    question = make_question(small_unit, "short_answer")
    browser = login(teacher)
    page = browser.get(f"/bank/questions/{question.id}/edit").get_data(as_text=True)
    assert 'value="Oslo"' in page and "Christiania" in page
    response = browser.post(f"/bank/questions/{question.id}/edit", data=form_for(
        "short_answer", stem="Which city hosted the signing of the pact?", answer="Oslo",
        accepted="Christiania\nKristiania", tags="Norway, treaties", difficulty="medium"))
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.version == 2 and question.tags == ["norway", "treaties"]
    edit = question.events[-1]
    assert edit.action == "edited" and edit.user_id == teacher.id
    assert edit.detail["changed"]["stem"] == {"before": "Which city hosted the signing?",
                                              "after": "Which city hosted the signing of the pact?"}
    assert edit.detail["changed"]["accepted"]["after"] == ["Oslo", "Christiania", "Kristiania"]
    history = browser.get(f"/bank/questions/{question.id}").get_data(as_text=True)
    assert "edited by Tess Teacher" in history and "Which city hosted the signing of the pact?" in history


def test_saving_an_unchanged_question_records_nothing(login, teacher, small_unit, db):
    """No change, no new version and no event."""
    question = make_question(small_unit, "numeric")
    response = login(teacher).post(f"/bank/questions/{question.id}/edit", data=form_for(
        "numeric", stem=question.stem, answer="40", tolerance="2", number_unit="vessels"))
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.version == 1
    assert db.session.scalar(select(func.count(QuestionEvent.id)).where(
        QuestionEvent.question_id == question.id)) == 1


def test_citation_is_chosen_from_the_units_passages(login, teacher, small_unit, other_unit, db):
    """A question cites a passage of its own unit; another unit's passage is not a valid choice."""
    source = db.session.scalar(select(Source).where(Source.unit_id == small_unit.id))
    foreign = db.session.scalar(select(Source).where(Source.unit_id == other_unit.id)).passages[0]
    browser = login(teacher)
    url = f"/bank/units/{small_unit.id}/questions/new?type=true_false"
    bad = browser.post(url, data=form_for("true_false", truth="true", passage=str(foreign.id)))
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
    passage = source.passages[1]
    good = browser.post(url, data=form_for("true_false", truth="true", passage=str(passage.id)))
    assert good.status_code == 302
    question = db.session.scalar(select(Question).where(Question.type == "true_false"))
    assert question.passage_id == passage.id and question.citation["passage"] == passage.text


def test_save_and_approve_approves_in_one_step(login, teacher, small_unit, db):
    """“Save and approve” stores the question and approves it, recording both events."""
    data = form_for("true_false", truth="false")
    data.pop("save")
    data["save_approve"] = "Save and approve"
    login(teacher).post(f"/bank/units/{small_unit.id}/questions/new?type=true_false", data=data)
    question = db.session.scalar(select(Question).where(Question.type == "true_false"))
    assert question.status == "approved"
    assert [e.action for e in question.events] == ["authored", "approved"]


def test_another_teacher_cannot_edit_your_question(login, other_teacher, small_unit, db):
    """Another teacher gets 404 and the question is unchanged."""
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    response = login(other_teacher).post(f"/bank/questions/{question.id}/edit",
                                         data=form_for("multiple_choice", **VALID["multiple_choice"]))
    assert response.status_code == 404
    db.session.refresh(question)
    assert question.version == 1
