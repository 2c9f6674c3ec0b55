"""Who may open what: every debate, discussion and essay route against every kind of visitor."""

from __future__ import annotations

import pytest

from tests.access import AWAY, LOGIN, cases, check, row, uncovered

# {c} the teacher's class; {p} the teacher's prompt; {d}, {e}, {b} its discussion, essay and debate
# assignments; {post} the student's post; {es} the student's submitted essay; {r} the teacher's rubric;
# {s} the unit's reading; {sp} the student's place in the speaking queue.
MATRIX = [
    ("GET", "/debates/prompts", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/debates/prompts/new", row(LOGIN, 403, 403, 200, 200)),
    ("POST", "/debates/prompts/new", row(LOGIN, 403, 403, 422, 422)),
    ("GET", "/debates/prompts/{p}", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/debates/prompts/{p}/edit", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/debates/prompts/{p}/edit", row(LOGIN, 403, 403, 422, 404)),
    ("POST", "/debates/prompts/{p}/copy", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/debates/classes/{c}", row(LOGIN, 200, 404, 200, 404)),
    ("GET", "/debates/classes/{c}/assign", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/debates/classes/{c}/assign", row(LOGIN, 403, 403, 422, 404)),
    ("POST", "/debates/assignments/{d}/delete", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/debates/join", row(LOGIN, 200, 200, 403, 403)),
    ("POST", "/debates/join", row(LOGIN, 422, 422, 403, 403)),
    ("GET", "/debates/live/{b}", row(LOGIN, 200, 404, 200, 404)),
    ("GET", "/debates/live/{b}/projector", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/debates/live/{b}/state", row(LOGIN, 200, 404, 200, 404)),
    ("POST", "/debates/live/{b}/control/{ctl}", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/debates/live/{b}/rounds", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/debates/live/{b}/sides", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/debates/live/{b}/side", row(LOGIN, AWAY, 404, 403, 403)),
    ("POST", "/debates/live/{b}/vote", row(LOGIN, AWAY, 404, 403, 403)),
    ("POST", "/debates/live/{b}/queue", row(LOGIN, AWAY, 404, 403, 403)),
    ("POST", "/debates/live/{b}/queue/{sp}/{spk}", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/discussions/{d}", row(LOGIN, 200, 404, 200, 404)),
    ("POST", "/discussions/{d}/posts", row(LOGIN, 422, 404, 422, 404)),
    ("GET", "/discussions/posts/{post}/edit", row(LOGIN, 200, 404, 403, 404)),
    ("POST", "/discussions/posts/{post}/edit", row(LOGIN, 422, 404, 403, 404)),
    ("POST", "/discussions/posts/{post}/delete", row(LOGIN, AWAY, 404, 403, 404)),
    ("POST", "/discussions/posts/{post}/vote", row(LOGIN, AWAY, 404, 403, 403)),
    ("POST", "/discussions/posts/{post}/{mod}", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/discussions/{d}/{lk}", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/discussions/{d}/activity", row(LOGIN, 403, 403, 200, 404)),
    ("GET", "/discussions/{d}/readings/{s}", row(LOGIN, 200, 404, 200, 404)),
    ("GET", "/essays/{e}", row(LOGIN, 200, 404, 200, 404)),
    ("POST", "/essays/{e}", row(LOGIN, 422, 404, 403, 404)),
    ("GET", "/essays/submissions/{es}", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/essays/submissions/{es}", row(LOGIN, 403, 403, 422, 404)),
    ("POST", "/essays/submissions/{es}/reopen", row(LOGIN, 403, 403, AWAY, 404)),
    ("POST", "/essays/{e}/release", row(LOGIN, 403, 403, AWAY, 404)),
    ("GET", "/essays/rubrics", row(LOGIN, 403, 403, 200, 200)),
    ("GET", "/essays/rubrics/new", row(LOGIN, 403, 403, 200, 200)),
    ("POST", "/essays/rubrics/new", row(LOGIN, 403, 403, 422, 422)),
    ("GET", "/essays/rubrics/{r}", row(LOGIN, 403, 403, 200, 404)),
    ("POST", "/essays/rubrics/{r}", row(LOGIN, 403, 403, 422, 404)),
]

PLACEHOLDERS = {
    "c": "<int:class_id>", "p": "<int:prompt_id>", "d": "<int:assignment_id>", "e": "<int:assignment_id>",
    "b": "<int:assignment_id>", "post": "<int:post_id>", "es": "<int:essay_id>", "r": "<int:rubric_id>",
    "s": "<int:source_id>", "sp": "<int:speaker_id>",
    "ctl": "<any(start, next, restart, vote, finish):action>", "spk": "<any(speak, done, remove):action>",
    "mod": "<any(hide, unhide, pin, unpin):action>", "lk": "<any(lock, unlock):action>",
}


@pytest.mark.parametrize(("method", "url", "persona", "status"), cases(MATRIX))
def test_debates_access_matrix(app, world, method, url, persona, status):
    """Students and teachers reach only their own class's threads, essays and debates."""
    path = url.format(
        c=world["classroom"].id, p=world["prompt"].id, d=world["discussion"].id,
        e=world["essay_assignment"].id, b=world["debate"].id, post=world["post"].id,
        es=world["essay"].id, r=world["rubric"].id, s=world["source"].id, sp=world["speaker"].id,
        ctl="start", spk="speak", mod="hide", lk="lock")
    check(app, world, method, path, persona, status)


def test_debates_matrix_covers_every_route(app):
    """Every debate, discussion and essay route has its row."""
    assert uncovered(app, MATRIX, {"debates", "discussions", "essays"}, PLACEHOLDERS) == []


def test_wrong_kind_of_assignment_is_not_found(login, world):
    """A discussion's id does not open as an essay or a debate, and the other way round."""
    browser = login(world["teacher"])
    assert browser.get(f"/essays/{world['discussion'].id}").status_code == 404
    assert browser.get(f"/debates/live/{world['essay_assignment'].id}").status_code == 404
    assert browser.get(f"/discussions/{world['debate'].id}").status_code == 404


def test_shipped_prompt_is_readable_but_not_editable(app, db, login, teacher, other_teacher, unit):
    """Shipped prompts: every teacher reads them, nobody edits them (403); copies are editable."""
    from quiz.debates.models import Prompt

    unit.owner_id = None
    shipped = Prompt(unit=unit, owner_id=None, title="Shipped", question="Q?")
    db.session.add(shipped)
    db.session.commit()
    browser = login(other_teacher)
    assert browser.get(f"/debates/prompts/{shipped.id}").status_code == 200
    assert browser.get(f"/debates/prompts/{shipped.id}/edit").status_code == 403
    response = browser.post(f"/debates/prompts/{shipped.id}/copy")
    assert response.status_code == 302 and response.location.endswith("/edit")
    assert browser.get(response.location).status_code == 200
