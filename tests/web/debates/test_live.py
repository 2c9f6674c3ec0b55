"""Live debates: joining by code, sides, rounds with a shared countdown, the queue and Oxford votes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quiz.debates.models import DebateVote


@pytest.fixture
def second_student(db, classroom):
    """Another student in the teacher's class."""
    from quiz.classes.models import MemberRole, Membership
    from tests.conftest import make_user

    user = make_user("second@example.org", "Sasha Second")
    db.session.add(Membership(classroom=classroom, user=user, role=MemberRole.STUDENT))
    db.session.commit()
    return user


def test_student_joins_with_the_code(db, login, student, debate):
    """The code on the projector (any case, with spaces) takes a class member into the debate."""
    code = debate.live.join_code
    response = login(student).post("/debates/join", data={"code": f" {code[:3].lower()} {code[3:]} "})
    assert response.status_code == 302 and response.location.endswith(f"/debates/live/{debate.id}")
    db.session.refresh(debate.live)
    assert [p.user_id for p in debate.live.participants] == [student.id]


def test_a_code_of_another_class_is_refused(db, login, other_student, debate):
    """A student outside the class cannot join, even with the right code."""
    response = login(other_student).post("/debates/join", data={"code": debate.live.join_code})
    assert response.status_code == 422 and "No debate of your classes" in response.get_data(as_text=True)


def test_countdown_comes_from_server_timestamps(db, login, teacher, student, debate, clock):
    """Every screen gets the same end time; the remaining time follows the (controlled) clock."""
    browser = login(teacher)
    browser.post(f"/debates/live/{debate.id}/control/start")
    state = login(student).get(f"/debates/live/{debate.id}/state").get_json()
    assert state["status"] == "running" and state["round"]["name"] == "Opening statements"
    assert state["round"]["remaining"] == 180
    assert state["round"]["ends_at"] == "2026-03-02T09:03:00+00:00"
    clock.advance(seconds=170)
    assert login(student).get(f"/debates/live/{debate.id}/state").get_json()["round"]["remaining"] == 10
    clock.advance(seconds=60)
    assert browser.get(f"/debates/live/{debate.id}/state").get_json()["round"]["remaining"] == 0


def test_rounds_run_in_order_then_the_final_vote(db, login, teacher, debate, clock):
    """Opening, rebuttal, closing, then the after-vote and the result."""
    browser = login(teacher)
    names = []
    browser.post(f"/debates/live/{debate.id}/control/start")
    for _ in range(3):
        names.append(browser.get(f"/debates/live/{debate.id}/state").get_json()["round"]["name"])
        browser.post(f"/debates/live/{debate.id}/control/next")
    assert names == ["Opening statements", "Rebuttals", "Closing statements"]
    state = browser.get(f"/debates/live/{debate.id}/state").get_json()
    assert state["status"] == "voting" and state["vote_phase"] == "after"


def test_teacher_sets_round_durations_before_the_start(db, login, teacher, debate):
    """Durations in minutes become the rounds' seconds."""
    browser = login(teacher)
    browser.post(f"/debates/live/{debate.id}/rounds", data={"opening": "4", "rebuttal": "0.5", "closing": "1"})
    db.session.refresh(debate.live)
    assert [r["seconds"] for r in debate.live.rounds] == [240, 30, 60]
    bad = browser.post(f"/debates/live/{debate.id}/rounds", data={"opening": "0", "rebuttal": "1", "closing": "1"},
                       follow_redirects=True)
    assert "Number must be between" in bad.get_data(as_text=True)
    db.session.refresh(debate.live)
    assert debate.live.rounds[0]["seconds"] == 240


def test_oxford_vote_the_side_that_gains_most_wins(db, login, teacher, student, second_student, debate):
    """Before: 1 for, 1 undecided. After: 2 against. The against side gained most and wins."""
    first, second = login(student), login(second_student)
    first.post(f"/debates/live/{debate.id}/vote", data={"side": "for"})
    second.post(f"/debates/live/{debate.id}/vote", data={"side": "undecided"})
    control = login(teacher)
    control.post(f"/debates/live/{debate.id}/control/start")
    closed = first.post(f"/debates/live/{debate.id}/vote", data={"side": "against"}, follow_redirects=True)
    assert "Voting is closed" in closed.get_data(as_text=True)
    control.post(f"/debates/live/{debate.id}/control/vote")
    first.post(f"/debates/live/{debate.id}/vote", data={"side": "against"})
    second.post(f"/debates/live/{debate.id}/vote", data={"side": "against"})
    control.post(f"/debates/live/{debate.id}/control/finish")
    state = first.get(f"/debates/live/{debate.id}/state").get_json()
    assert state["tallies"]["before"] == {"for": 1, "against": 0, "undecided": 1}
    assert state["tallies"]["after"] == {"for": 0, "against": 2, "undecided": 0}
    assert state["result"] == {"swing": {"for": -50.0, "against": 100.0}, "winner": "against"}
    assert db.session.scalar(select(func.count()).select_from(DebateVote)) == 4
    assert "The against side wins" in control.get(f"/debates/live/{debate.id}/projector").get_data(as_text=True)


def test_voting_twice_in_a_phase_changes_the_vote(db, login, student, debate):
    """One vote per student per phase: a second vote replaces the first."""
    browser = login(student)
    browser.post(f"/debates/live/{debate.id}/vote", data={"side": "for"})
    browser.post(f"/debates/live/{debate.id}/vote", data={"side": "against"})
    assert [v.side for v in db.session.scalars(select(DebateVote))] == ["against"]


def test_students_see_tallies_only_when_finished(db, login, student, debate):
    """Live tallies are for the teacher's screens while the debate runs."""
    login(student).post(f"/debates/live/{debate.id}/vote", data={"side": "for"})
    assert "tallies" not in login(student).get(f"/debates/live/{debate.id}/state").get_json()


def test_sides_chosen_by_students_or_dealt_by_the_teacher(db, login, teacher, student, second_student, debate):
    """A student picks a side; the teacher deals the rest to the smaller side."""
    login(student).post(f"/debates/live/{debate.id}/side", data={"side": "for"})
    login(second_student).get(f"/debates/live/{debate.id}")
    login(teacher).post(f"/debates/live/{debate.id}/sides")
    db.session.refresh(debate.live)
    assert {p.user_id: p.side for p in debate.live.participants} == {student.id: "for",
                                                                    second_student.id: "against"}


def test_speaking_queue(db, login, teacher, student, second_student, debate):
    """Students queue once; the teacher gives the floor, and everyone's state shows who speaks."""
    first = login(student)
    first.post(f"/debates/live/{debate.id}/queue")
    twice = first.post(f"/debates/live/{debate.id}/queue", follow_redirects=True)
    assert "already in the speaking queue" in twice.get_data(as_text=True)
    login(second_student).post(f"/debates/live/{debate.id}/queue")
    queue = first.get(f"/debates/live/{debate.id}/state").get_json()["queue"]
    assert [q["name"] for q in queue] == ["Sam Student", "Sasha Second"]
    login(teacher).post(f"/debates/live/{debate.id}/queue/{queue[1]['id']}/speak")
    queue = first.get(f"/debates/live/{debate.id}/state").get_json()["queue"]
    assert [q["status"] for q in queue] == ["queued", "speaking"]


def test_live_pages_render_for_every_phase(db, login, teacher, student, debate):
    """Teacher, student and projector pages render in the lobby, while running, voting and finished."""
    control, browser = login(teacher), login(student)
    for action in (None, "start", "vote", "finish"):
        if action:
            control.post(f"/debates/live/{debate.id}/control/{action}")
        for client, path in ((control, ""), (control, "/projector"), (browser, "")):
            assert client.get(f"/debates/live/{debate.id}{path}").status_code == 200
