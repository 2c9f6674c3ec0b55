"""Prompts: copied from the shipped unit with their evidence resolved, written, edited and assigned."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quiz.debates.models import Prompt, PromptAssignment


def test_loading_the_shipped_unit_makes_its_prompts(db, teacher):
    """Without the articles, the prompts arrive with their hints but no passages."""
    from quiz.bank.services import load_shipped_units

    unit = load_shipped_units(material=None)[0]
    prompts = list(db.session.scalars(select(Prompt).where(Prompt.unit_id == unit.id)))
    assert len(prompts) >= 10 and all(p.owner_id is None for p in prompts)
    assert all(p.evidence and p.positions for p in prompts)
    assert all(e.passage_id is None for p in prompts for e in p.evidence)


@pytest.mark.material
def test_quote_hints_resolve_to_passages_of_the_articles(db, material_dir):
    """With the articles stored, every quote hint points at the passage holding it."""
    from quiz.bank.services import load_shipped_units

    unit = load_shipped_units(material=material_dir)[0]
    evidence = [e for p in db.session.scalars(select(Prompt).where(Prompt.unit_id == unit.id)) for e in p.evidence]
    resolved = [e for e in evidence if e.passage is not None]
    assert len(resolved) == len(evidence)
    for item in resolved:
        source = item.passage.source
        following = source.text[item.passage.start:]
        assert source.unit_id == unit.id
        # The passage holds the phrase, or leads into the bullet list that does.
        assert (" ".join(item.quote_hint.split()) in " ".join(item.passage.text.split())
                or item.quote_hint in following[:len(item.passage.text) + 600])


def test_sync_prompts_command_fills_units_loaded_earlier(app, db):
    """`flask debates sync-prompts` copies prompts of units that have none yet, once."""
    from quiz.bank.services import load_shipped_units

    unit = load_shipped_units(material=None)[0]
    for prompt in db.session.scalars(select(Prompt)):
        db.session.delete(prompt)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "Added" in runner.invoke(args=["debates", "sync-prompts"]).output
    count = len(unit.prompts)
    assert "Added 0 prompts" in runner.invoke(args=["debates", "sync-prompts"]).output
    assert len(db.session.scalars(select(Prompt)).all()) == count


def test_teacher_writes_a_prompt_with_evidence(db, login, teacher, unit):
    """A new prompt stores its positions and resolves its quote hints in the unit's reading."""
    response = login(teacher).post("/debates/prompts/new", data={
        "unit_id": unit.id, "title": "Research ships", "question": "Are 40 ships enough?",
        "position_for": "Yes.", "position_against": "No.",
        "evidence": "| 40 research vessels\nnowhere | not in any article"})
    assert response.status_code == 302
    prompt = db.session.scalar(select(Prompt).where(Prompt.title == "Research ships"))
    assert prompt.owner_id == teacher.id
    assert [p["stance"] for p in prompt.positions] == ["for", "against"]
    assert prompt.evidence[0].passage is not None and prompt.evidence[1].passage is None
    page = login(teacher).get(f"/debates/prompts/{prompt.id}").get_data(as_text=True)
    assert "<mark>40 research vessels</mark>" in page


def test_a_prompt_cannot_go_into_another_teachers_unit(db, login, teacher, other_unit):
    """The unit list offers only readable units; a forged id is refused."""
    response = login(teacher).post("/debates/prompts/new", data={
        "unit_id": other_unit.id, "title": "Sneaky", "question": "Q?"})
    assert response.status_code == 422
    assert db.session.scalar(select(Prompt).where(Prompt.title == "Sneaky")) is None


def test_assigning_the_same_prompt_twice_as_the_same_kind_is_refused(db, login, teacher, classroom, prompt):
    """One thread per prompt per class: the second is refused with a message."""
    browser = login(teacher)
    data = {"prompt_id": prompt.id, "kind": "discussion", "opening": "3", "rebuttal": "2", "closing": "1"}
    assert browser.post(f"/debates/classes/{classroom.id}/assign", data=data).status_code == 302
    again = browser.post(f"/debates/classes/{classroom.id}/assign", data=data)
    assert again.status_code == 422 and "already has" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(PromptAssignment)).all()) == 1


def test_another_teachers_prompt_cannot_be_assigned(db, login, teacher, other_teacher, classroom, other_unit):
    """A private prompt of another teacher is refused."""
    from quiz.debates.services import save_prompt

    private = save_prompt(None, other_teacher, other_unit, title="Private", question="Q?", framing="",
                          positions=[], evidence=[])
    response = login(teacher).post(f"/debates/classes/{classroom.id}/assign", data={
        "prompt_id": private.id, "kind": "discussion", "opening": "3", "rebuttal": "2", "closing": "1"})
    assert response.status_code == 422 and db.session.scalar(select(PromptAssignment)) is None


def test_students_see_open_work_on_the_dashboard_and_class_page(db, login, student, classroom, discussion,
                                                                essay_assignment, debate):
    """The dashboard lists the student's open discussion, essay and debate."""
    page = login(student).get("/dashboard").get_data(as_text=True)
    for path in (f"/discussions/{discussion.id}", f"/essays/{essay_assignment.id}", f"/debates/live/{debate.id}"):
        assert f'href="{path}"' in page
    class_page = login(student).get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert f"/debates/classes/{classroom.id}" in class_page


def test_every_post_route_needs_the_csrf_token(app, world):
    """No debate, discussion or essay POST is accepted without the token."""
    from tests.conftest import log_in
    from tests.web.debates.test_access import MATRIX

    browser = log_in(app.test_client(), world["teacher"])
    for method, url, _ in MATRIX:
        if method != "POST":
            continue
        path = url.format(
            c=world["classroom"].id, p=world["prompt"].id, d=world["discussion"].id,
            e=world["essay_assignment"].id, b=world["debate"].id, post=world["post"].id,
            es=world["essay"].id, r=world["rubric"].id, s=world["source"].id, sp=world["speaker"].id,
            ctl="start", spk="speak", mod="hide", lk="lock")
        assert browser.post(path, data={"body": "x"}, csrf=False).status_code == 400, path
