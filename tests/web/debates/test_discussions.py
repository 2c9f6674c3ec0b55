"""Discussion threads: posts with stances and citations, votes, moderation, anonymity and targets."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from quiz.discussions.models import Post, PostCitation, PostVote

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<svg onload=alert(1)><circle/></svg>",
    "<a href=\"javascript:alert(1)\">link</a>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<<script>script>alert(1)<</script>/script>",
    "<b onclick=alert(1)>bold",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(browser, discussion, **data):
    return browser.post(f"/discussions/{discussion.id}/posts", data={"stance": "for", **data})


class _ActiveMarkup(HTMLParser):
    """Collects live markup: inline scripts, event handlers, script URLs and embedded documents."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.found.append("inline script")
        if tag in ("svg", "iframe", "math", "object", "embed", "style", "img"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{name}={value}")


def assert_inert(html: str) -> None:
    """The page holds no live markup from user text."""
    parser = _ActiveMarkup()
    parser.feed(html)
    assert parser.found == []


def test_post_shows_markdown_stance_and_the_cited_passage_with_a_link(db, login, student, discussion, passages):
    """A post renders its Markdown, its stance and the quoted passage linking to the reading."""
    browser = login(student)
    response = _post(browser, discussion, body="Chile **gains** ships.", passages=[passages[1].id])
    assert response.status_code == 302
    page = browser.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert "Chile <strong>gains</strong> ships." in page
    assert passages[1].text.split()[0] in page and "stance-for" in page
    assert f"/discussions/{discussion.id}/readings/{passages[1].source_id}#passage-{passages[1].index}" in page


def test_links_in_posts_are_nofollow_noopener(login, student, discussion):
    """Links keep their target but carry rel="nofollow noopener"."""
    browser = login(student)
    _post(browser, discussion, body="See [the treaty](https://example.org/treaty).")
    page = browser.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert '<a href="https://example.org/treaty" rel="nofollow noopener">the treaty</a>' in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_in_posts_are_rendered_inert(login, student, teacher, discussion, payload):
    """Script tags, handlers, javascript: links, SVG and malformed HTML never become live markup."""
    assert _post(login(student), discussion, body=payload).status_code == 302
    for viewer in (student, teacher):
        assert_inert(login(viewer).get(f"/discussions/{discussion.id}").get_data(as_text=True))


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write something before posting."),
    ("   ", "Write something before posting."),
    ("x" * 10_001, "Posts can be up to 10,000 characters."),
])
def test_empty_and_overlong_posts_are_refused(db, login, student, discussion, body, message):
    """Empty posts and posts over 10,000 characters are refused with a message; nothing is stored."""
    response = _post(login(student), discussion, body=body)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(db, Post) == 0


def test_a_post_of_exactly_ten_thousand_characters_is_accepted(db, login, student, discussion):
    """The limit is inclusive."""
    assert _post(login(student), discussion, body="y" * 10_000).status_code == 302
    assert _count(db, Post) == 1


def test_citing_another_teachers_private_reading_is_refused(db, login, student, discussion, other_unit):
    """A passage outside the prompt's unit cannot be cited; neither the post nor a citation is stored."""
    foreign = other_unit.sources[0].passages[0]
    response = _post(login(student), discussion, body="Evidence!", passages=[foreign.id])
    assert response.status_code == 422
    assert "only passages of this unit" in response.get_data(as_text=True)
    assert _count(db, Post) == 0 and _count(db, PostCitation) == 0


def test_a_missing_passage_id_is_refused(db, login, student, discussion):
    """A made-up passage id is refused like a foreign one."""
    response = _post(login(student), discussion, body="Evidence!", passages=[999_999])
    assert response.status_code == 422 and _count(db, Post) == 0


def test_posting_to_a_locked_thread_is_refused(db, login, student, teacher, discussion):
    """Once the teacher locks the thread, posts are refused with a message."""
    assert login(teacher).post(f"/discussions/{discussion.id}/lock").status_code == 302
    response = _post(login(student), discussion, body="Too late?")
    assert response.status_code == 422 and "locked" in response.get_data(as_text=True)
    assert _count(db, Post) == 0


def test_posting_to_another_classes_thread_is_not_found(db, login, other_student, discussion):
    """A student of another class gets 404, and nothing is stored."""
    assert _post(login(other_student), discussion, body="Hello").status_code == 404
    assert _count(db, Post) == 0


def test_replies_nest_two_levels_and_no_deeper(db, login, student, other_student, classroom, discussion):
    """A reply to a reply is allowed; a reply to that is refused."""
    from quiz.discussions.services import DiscussionError, add_post

    top = add_post(discussion, student, "Top", "for")
    reply = add_post(discussion, student, "Reply", "against", parent=top)
    deeper = add_post(discussion, student, "Reply to reply", "undecided", parent=reply)
    assert (top.depth, reply.depth, deeper.depth) == (0, 1, 2)
    response = _post(login(student), discussion, body="Too deep", parent_id=str(deeper.id))
    assert response.status_code == 422 and "two levels deep" in response.get_data(as_text=True)
    with pytest.raises(DiscussionError):
        add_post(discussion, student, "Too deep", "for", parent=deeper)
    assert _count(db, Post) == 3


def test_votes_one_per_student_never_on_ones_own_post(db, login, student, other_student, classroom,
                                                      discussion):
    """A classmate's vote counts once; a second vote and a vote on one's own post are refused."""
    from quiz.classes.models import MemberRole, Membership

    db.session.add(Membership(classroom=classroom, user=other_student, role=MemberRole.STUDENT))
    db.session.commit()
    _post(login(student), discussion, body="Mine")
    post = db.session.scalar(select(Post))
    own = login(student).post(f"/discussions/posts/{post.id}/vote", follow_redirects=True)
    assert "cannot vote for your own post" in own.get_data(as_text=True)
    voter = login(other_student)
    assert "Vote counted." in voter.post(f"/discussions/posts/{post.id}/vote",
                                         follow_redirects=True).get_data(as_text=True)
    again = voter.post(f"/discussions/posts/{post.id}/vote", follow_redirects=True).get_data(as_text=True)
    assert "already found this post convincing" in again
    assert _count(db, PostVote) == 1
    assert "1 found this convincing" in again


def test_stance_summary_counts_each_students_latest_stance(db, classroom, student, other_student,
                                                           discussion):
    """Each student counts once, with their latest stance."""
    from quiz.classes.models import MemberRole, Membership
    from quiz.discussions.services import add_post, stance_summary

    db.session.add(Membership(classroom=classroom, user=other_student, role=MemberRole.STUDENT))
    db.session.commit()
    add_post(discussion, student, "First for", "for")
    add_post(discussion, student, "Changed my mind", "against")
    add_post(discussion, other_student, "Unsure", "undecided")
    assert stance_summary(discussion) == {"for": 0, "against": 1, "undecided": 1}


def test_teacher_hides_pins_and_sees_the_activity_list(db, login, teacher, student, discussion):
    """Hidden posts vanish for students but not for teachers; every action shows in the activity list."""
    from quiz.discussions.services import add_post

    post = add_post(discussion, student, "Hide me please", "for")
    pinned = add_post(discussion, student, "Pin me", "against")
    browser = login(teacher)
    browser.post(f"/discussions/posts/{post.id}/hide")
    browser.post(f"/discussions/posts/{pinned.id}/pin")
    student_page = login(student).get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert "Hide me please" not in student_page
    teacher_page = browser.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert "Hide me please" in teacher_page and "hidden from students" in teacher_page
    assert teacher_page.index("Pin me") < teacher_page.index("Hide me please")
    activity = browser.get(f"/discussions/{discussion.id}/activity").get_data(as_text=True)
    for action in ("posted", "hid", "pinned"):
        assert f"<td>{action}" in activity


def test_anonymous_mode_hides_names_from_classmates_but_not_the_teacher(db, login, classroom, teacher,
                                                                      student, other_student, prompt, clock):
    """Classmates see "Classmate 1"; the author sees "You"; the teacher sees the name."""
    from quiz.classes.models import MemberRole, Membership
    from quiz.debates.services import assign_prompt
    from quiz.discussions.services import add_post

    db.session.add(Membership(classroom=classroom, user=other_student, role=MemberRole.STUDENT))
    db.session.commit()
    thread = assign_prompt(classroom, teacher, prompt, "discussion", anonymous=True)
    add_post(thread, student, "Anonymous view", "for")
    classmate = login(other_student).get(f"/discussions/{thread.id}").get_data(as_text=True)
    assert "Classmate 1" in classmate and student.display_name not in classmate
    assert "<strong>You</strong>" in login(student).get(f"/discussions/{thread.id}").get_data(as_text=True)
    assert student.display_name in login(teacher).get(f"/discussions/{thread.id}").get_data(as_text=True)


def test_authors_edit_within_fifteen_minutes_only(db, login, student, discussion, clock):
    """Editing works at 15 minutes and is refused after; nothing changes then."""
    from quiz.discussions.services import add_post

    post = add_post(discussion, student, "Original", "for")
    browser = login(student)
    clock.advance(minutes=15)
    assert browser.post(f"/discussions/posts/{post.id}/edit",
                        data={"stance": "against", "body": "Edited"}).status_code == 302
    clock.advance(seconds=1)
    late = browser.post(f"/discussions/posts/{post.id}/edit", data={"stance": "for", "body": "Late"},
                        follow_redirects=True)
    assert "15 minutes" in late.get_data(as_text=True)
    db.session.refresh(post)
    assert (post.body, post.stance) == ("Edited", "against") and post.edited_at is not None


def test_deleting_a_post_with_replies_leaves_it_shown_as_removed(db, login, student, teacher, discussion):
    """A post with replies stays as "removed" with its replies; one without replies disappears."""
    from quiz.discussions.services import add_post

    parent = add_post(discussion, student, "Parent text", "for")
    add_post(discussion, teacher, "Teacher reply", "undecided", parent=parent)
    lonely = add_post(discussion, student, "Lonely text", "for")
    browser = login(student)
    browser.post(f"/discussions/posts/{parent.id}/delete")
    browser.post(f"/discussions/posts/{lonely.id}/delete")
    page = browser.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert "removed by its author" in page and "Teacher reply" in page
    assert "Parent text" not in page and "Lonely text" not in page
    assert _count(db, Post) == 2


def test_others_cannot_delete_or_edit_a_post(db, login, teacher, student, discussion):
    """Only the author edits or deletes; the teacher hides instead."""
    from quiz.discussions.services import add_post

    post = add_post(discussion, student, "Mine", "for")
    browser = login(teacher)
    assert browser.post(f"/discussions/posts/{post.id}/delete").status_code == 403
    assert browser.post(f"/discussions/posts/{post.id}/edit", data={"body": "x"}).status_code == 403
    assert _count(db, Post) == 1


def test_participation_progress_is_shown_to_student_and_teacher(db, login, teacher, student, discussion,
                                                                passages):
    """Targets of 1 cited post and 1 reply: the student sees their counts, the teacher the class's."""
    from quiz.discussions.services import add_post, progress_for

    post = add_post(discussion, student, "With evidence", "for", [passages[0].id])
    assert not progress_for(discussion, student).met
    add_post(discussion, student, "A reply", "for", parent=post)
    assert progress_for(discussion, student).met
    student_page = login(student).get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert "Posts citing a passage: 1 of 1" in student_page and "All targets met" in student_page
    activity = login(teacher).get(f"/discussions/{discussion.id}/activity").get_data(as_text=True)
    assert student.display_name in activity and "badge ok\">met" in activity


def test_reading_page_shows_passages_for_citing(login, student, discussion, passages):
    """Class members read the unit's reading passage by passage, with a cite link."""
    page = login(student).get(f"/discussions/{discussion.id}/readings/{passages[0].source_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="passage-1"' in html and f"cite={passages[1].id}" in html


def test_reading_of_another_unit_is_not_found(login, student, discussion, other_unit):
    """A reading that is not the prompt's unit's is 404, even to a member of the class."""
    source = other_unit.sources[0]
    assert login(student).get(f"/discussions/{discussion.id}/readings/{source.id}").status_code == 404
