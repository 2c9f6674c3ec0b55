"""The review queue: drafts beside their passages, one-click and bulk review, and who may review."""

from __future__ import annotations

from sqlalchemy import select

from question_bank.models import Question, Source
from tests.web.bank.conftest import make_question


def test_queue_shows_each_draft_beside_its_passage_with_the_answer_marked(login, teacher, small_unit, db):
    """The cited passage is quoted with the answer in <mark>, and the buttons carry shortcut keys."""
    page = login(teacher).get(f"/bank/units/{small_unit.id}/review").get_data(as_text=True)
    assert "Where was the pact signed?" in page
    assert "<mark>Oslo</mark>" in page
    assert 'data-key="a"' in page and 'data-key="r"' in page and 'data-key="e"' in page
    assert "js/bank.js" in page and "<script>" not in page


def test_approve_and_reject_record_who_did_it(login, teacher, small_unit, db):
    """One click approves (or rejects) and the history names the teacher."""
    first = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    second = make_question(small_unit, "true_false")
    browser = login(teacher)
    back = f"/bank/units/{small_unit.id}/review"
    assert browser.post(f"/bank/questions/{first.id}/approve", data={"next": back}).location == back
    browser.post(f"/bank/questions/{second.id}/reject", data={"next": back})
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "approved" and second.status == "rejected"
    assert (first.events[-1].action, first.events[-1].user_id) == ("approved", teacher.id)
    assert (second.events[-1].action, second.events[-1].user_id) == ("rejected", teacher.id)
    queue = browser.get(back).get_data(as_text=True)
    assert "No drafts to review" in queue


def test_review_redirects_only_within_the_site(login, teacher, small_unit, db):
    """A ``next`` pointing off the site is ignored."""
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    response = login(teacher).post(f"/bank/questions/{question.id}/approve",
                                   data={"next": "https://evil.example/"})
    assert response.location == f"/bank/questions/{question.id}"


def test_wrong_transitions_are_explained(login, teacher, small_unit, db):
    """Retiring a draft is refused with a message; the status stays."""
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    page = login(teacher).post(f"/bank/questions/{question.id}/retire",
                               follow_redirects=True).get_data(as_text=True)
    assert "cannot be retired" in page
    db.session.refresh(question)
    assert question.status == "draft"


def test_a_student_gets_403_and_another_teacher_404_on_your_drafts(login, student, other_teacher,
                                                                  small_unit, db):
    """Nobody but the owner reviews a draft, and it stays a draft."""
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    assert login(student).post(f"/bank/questions/{question.id}/approve").status_code == 403
    assert login(other_teacher).post(f"/bank/questions/{question.id}/approve").status_code == 404
    assert login(other_teacher).post(f"/bank/units/{small_unit.id}/review/bulk",
                                     data={"approve": "Approve all"}).status_code == 404
    db.session.refresh(question)
    assert question.status == "draft" and len(question.events) == 1


def test_bulk_approve_takes_exactly_the_filtered_drafts(login, teacher, small_unit, db):
    """“Approve all” with a type filter approves the drafts of that type only."""
    tf = [make_question(small_unit, "true_false", stem=f"Statement {n}.") for n in range(3)]
    mc = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id,
                                                  Question.type == "multiple_choice"))
    browser = login(teacher)
    page = browser.get(f"/bank/units/{small_unit.id}/review?type=true_false").get_data(as_text=True)
    assert "Approve all 3" in page
    response = browser.post(f"/bank/units/{small_unit.id}/review/bulk",
                            data={"type": "true_false", "approve": "Approve all 3"})
    assert response.status_code == 302
    for question in [*tf, mc]:
        db.session.refresh(question)
    assert [q.status for q in tf] == ["approved"] * 3 and mc.status == "draft"
    assert all(q.events[-1].detail["reason"] == "bulk review" for q in tf)


def test_bulk_reject_by_reading_and_search(login, teacher, small_unit, db):
    """Bulk reject honours the reading and the free-text search."""
    source = db.session.scalar(select(Source).where(Source.unit_id == small_unit.id))
    cited = make_question(small_unit, "short_answer", passage=source.passages[1],
                          stem="Who welcomed the deal?")
    loose = make_question(small_unit, "short_answer", stem="Who welcomed the other deal?")
    login(teacher).post(f"/bank/units/{small_unit.id}/review/bulk",
                        data={"source": str(source.id), "q": "welcomed", "reject": "Reject all"})
    db.session.refresh(cited)
    db.session.refresh(loose)
    assert cited.status == "rejected" and loose.status == "draft"


def test_only_approved_questions_count_as_ready(login, teacher, small_unit, db):
    """The browser's status tabs count drafts and approved questions apart."""
    question = db.session.scalar(select(Question).where(Question.unit_id == small_unit.id))
    browser = login(teacher)
    browser.post(f"/bank/questions/{question.id}/approve")
    page = browser.get(f"/bank/units/{small_unit.id}/questions?status=approved").get_data(as_text=True)
    assert "Approved (1)" in page and "Draft (0)" in page and question.stem in page


def test_the_shortcut_script_is_a_static_file(client):
    """The review shortcuts are served as a file (CSP allows no inline script)."""
    response = client.get("/static/js/bank.js")
    script = response.get_data(as_text=True)
    response.close()
    for key in ('"j"', '"k"', "data-key"):
        assert key in script
