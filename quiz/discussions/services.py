"""Discussion workflows: posting with citations, replies, votes, edits, moderation and targets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from question_bank.models import Passage, Source
from quiz import clock
from quiz.auth.models import User
from quiz.classes.models import MemberRole
from quiz.classes.services import membership, roster
from quiz.debates.models import PromptAssignment, Side
from quiz.debates.services import citable_sources
from quiz.discussions.models import (
    MAX_DEPTH,
    Activity,
    DiscussionEvent,
    Post,
    PostCitation,
    PostVote,
)
from quiz.extensions import db

MAX_POST_LENGTH = 10_000
MAX_CITATIONS = 5
EDIT_WINDOW = timedelta(minutes=15)


class DiscussionError(Exception):
    """A discussion action that cannot be done, with a message for the user."""


def _record(assignment: PromptAssignment, user: User, action: str, post: Post | None = None) -> None:
    db.session.add(DiscussionEvent(assignment_id=assignment.id, user_id=user.id, action=action,
                                   post=post, created_at=clock.now()))


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DiscussionError("Write something before posting.")
    if len(body) > MAX_POST_LENGTH:
        raise DiscussionError(f"Posts can be up to {MAX_POST_LENGTH:,} characters; "
                              f"this one has {len(body):,}.")
    return body


def citable_passages(assignment: PromptAssignment, passage_ids: list[int]) -> list[Passage]:
    """The passages, if every one belongs to the prompt's unit (DiscussionError otherwise)."""
    wanted = list(dict.fromkeys(passage_ids))
    if len(wanted) > MAX_CITATIONS:
        raise DiscussionError(f"Cite at most {MAX_CITATIONS} passages in one post.")
    if not wanted:
        return []
    allowed = {source.id for source in citable_sources(assignment.prompt.unit)}
    passages = list(db.session.scalars(select(Passage).where(Passage.id.in_(wanted))))
    if len(passages) != len(wanted) or any(p.source_id not in allowed for p in passages):
        raise DiscussionError("You can cite only passages of this unit's readings.")
    order = {pid: i for i, pid in enumerate(wanted)}
    return sorted(passages, key=lambda p: order[p.id])


def _check_open(assignment: PromptAssignment, user: User) -> None:
    if membership(assignment.classroom, user) is None:
        raise DiscussionError("You are not in this class.")
    if assignment.locked:
        raise DiscussionError("This discussion is locked: it takes no new posts or votes.")


def _citation(passage: Passage) -> PostCitation:
    return PostCitation(passage=passage, quote=passage.text,
                        source_title=(passage.source.title or passage.source.name)[:300])


def add_post(assignment: PromptAssignment, author: User, body: str, stance: str,
             passage_ids: list[int] | None = None, parent: Post | None = None) -> Post:
    """A new post (or a reply to ``parent``) with its citations; nothing is stored if anything is wrong."""
    _check_open(assignment, author)
    body = _check_body(body)
    if stance not in Side.__members__.values():
        raise DiscussionError("Choose for, against or undecided.")
    depth = 0
    if parent is not None:
        if parent.assignment_id != assignment.id:
            raise DiscussionError("That post is in another discussion.")
        if parent.depth >= MAX_DEPTH:
            raise DiscussionError("Replies go two levels deep; reply to the post above instead.")
        if parent.hidden or parent.removed:
            raise DiscussionError("That post is no longer open for replies.")
        depth = parent.depth + 1
    passages = citable_passages(assignment, passage_ids or [])
    post = Post(assignment_id=assignment.id, author=author, parent=parent, depth=depth, stance=stance,
                body=body, created_at=clock.now())
    post.citations = [_citation(p) for p in passages]
    db.session.add(post)
    db.session.flush()
    _record(assignment, author, Activity.REPLIED if parent else Activity.POSTED, post)
    db.session.commit()
    return post


def post_for(post_id: int, user: User) -> Post:
    """The post if ``user`` is in its class (404 otherwise)."""
    post = db.get_or_404(Post, post_id)
    if membership(post.assignment.classroom, user) is None:
        abort(404)
    return post


def can_edit(post: Post, user: User) -> bool:
    """Authors edit their own posts within 15 minutes of posting."""
    return (post.author_id == user.id and not post.removed and not post.assignment.locked
            and clock.now() - post.created_at <= EDIT_WINDOW)


def edit_post(post: Post, user: User, body: str, stance: str, passage_ids: list[int]) -> None:
    """The author changes a post within the edit window."""
    if post.author_id != user.id:
        raise DiscussionError("You can edit only your own posts.")
    if not can_edit(post, user):
        raise DiscussionError("Posts can be edited for 15 minutes after posting.")
    body = _check_body(body)
    if stance not in Side.__members__.values():
        raise DiscussionError("Choose for, against or undecided.")
    passages = citable_passages(post.assignment, passage_ids)
    post.body, post.stance, post.edited_at = body, stance, clock.now()
    kept = {c.passage_id: c for c in post.citations}
    post.citations = [kept.get(p.id) or _citation(p) for p in passages]
    _record(post.assignment, user, Activity.EDITED, post)
    db.session.commit()


def delete_post(post: Post, user: User) -> bool:
    """The author deletes a post: gone entirely, or shown as removed when it has replies.
    Returns True when the post was kept as "removed"."""
    if post.author_id != user.id:
        raise DiscussionError("You can delete only your own posts.")
    if post.removed:
        raise DiscussionError("That post was already removed.")
    assignment = post.assignment
    kept = bool(post.replies)
    if kept:
        post.removed, post.body, post.citations, post.votes = True, "", [], []
        _record(assignment, user, Activity.DELETED, post)
    else:
        _record(assignment, user, Activity.DELETED)
        db.session.delete(post)
    db.session.commit()
    return kept


def vote(post: Post, voter: User) -> None:
    """A student finds a classmate's post convincing: one vote per student per post."""
    assignment = post.assignment
    _check_open(assignment, voter)
    if not voter.is_student:
        raise DiscussionError("Only students vote on posts.")
    if post.author_id == voter.id:
        raise DiscussionError("You cannot vote for your own post.")
    if post.hidden or post.removed:
        raise DiscussionError("That post cannot take votes.")
    if db.session.scalar(select(PostVote.id).where(PostVote.post_id == post.id,
                                                   PostVote.voter_id == voter.id)):
        raise DiscussionError("You already found this post convincing.")
    db.session.add(PostVote(post=post, voter_id=voter.id, created_at=clock.now()))
    _record(assignment, voter, Activity.VOTED, post)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same vote sent twice at once
        db.session.rollback()
        raise DiscussionError("You already found this post convincing.") from error


MODERATION = {
    "hide": ("hidden", True, Activity.HID),
    "unhide": ("hidden", False, Activity.UNHID),
    "pin": ("pinned", True, Activity.PINNED),
    "unpin": ("pinned", False, Activity.UNPINNED),
}


def moderate(post: Post, teacher: User, action: str) -> None:
    """A teacher hides, unhides, pins or unpins a post."""
    field, value, activity = MODERATION[action]
    if field == "pinned" and post.depth:
        raise DiscussionError("Only top-level posts can be pinned.")
    setattr(post, field, value)
    _record(post.assignment, teacher, activity, post)
    db.session.commit()


def set_locked(assignment: PromptAssignment, teacher: User, locked: bool) -> None:
    """A teacher locks or reopens the thread."""
    assignment.locked = locked
    _record(assignment, teacher, Activity.LOCKED if locked else Activity.UNLOCKED)
    db.session.commit()


# --------------------------------------------------------------------------- reading the thread


def top_level_posts(assignment: PromptAssignment, *, include_hidden: bool):
    """The thread's posts (not replies), pinned first, then oldest first, as a query for paging."""
    query = select(Post).where(Post.assignment_id == assignment.id, Post.parent_id.is_(None))
    if not include_hidden:
        query = query.where(Post.hidden.is_(False))
    return query.order_by(Post.pinned.desc(), Post.created_at, Post.id)


def stance_summary(assignment: PromptAssignment) -> dict[str, int]:
    """How the class splits: each student's latest visible stance (posts and replies)."""
    rows = db.session.execute(
        select(Post.author_id, Post.stance).join(Post.author)
        .where(Post.assignment_id == assignment.id, Post.hidden.is_(False), Post.removed.is_(False))
        .order_by(Post.created_at, Post.id)).all()
    students = {m.user_id for m in roster(assignment.classroom, MemberRole.STUDENT)}
    latest = {author: stance for author, stance in rows if author in students}
    counts = Counter(latest.values())
    return {side: counts.get(side, 0) for side in Side}


def vote_counts(assignment: PromptAssignment) -> dict[int, int]:
    """Convincing votes per post id."""
    return dict(db.session.execute(
        select(PostVote.post_id, func.count()).join(Post)
        .where(Post.assignment_id == assignment.id).group_by(PostVote.post_id)).all())


def my_votes(assignment: PromptAssignment, user: User) -> set[int]:
    """Ids of the posts the user found convincing."""
    return set(db.session.scalars(select(PostVote.post_id).join(Post).where(
        Post.assignment_id == assignment.id, PostVote.voter_id == user.id)))


def aliases(assignment: PromptAssignment) -> dict[int, str]:
    """Stable names for anonymous threads: "Classmate 1", "Classmate 2"... by first post."""
    authors = db.session.scalars(select(Post.author_id).where(Post.assignment_id == assignment.id)
                                 .order_by(Post.created_at, Post.id))
    names: dict[int, str] = {}
    for author in authors:
        names.setdefault(author, f"Classmate {len(names) + 1}")
    return names


def author_name(post: Post, viewer: User, *, teaching: bool, alias_map: dict[int, str]) -> str:
    """Who wrote the post, as this viewer may see it."""
    if post.author_id == viewer.id:
        return "You"
    if not post.assignment.anonymous or teaching or post.author.is_teacher:
        return post.author.display_name
    return alias_map.get(post.author_id, "A classmate")


def activity(assignment: PromptAssignment):
    """The thread's activity, newest first, as a query for paging."""
    return (select(DiscussionEvent).where(DiscussionEvent.assignment_id == assignment.id)
            .order_by(DiscussionEvent.created_at.desc(), DiscussionEvent.id.desc()))


# --------------------------------------------------------------------------- participation targets


@dataclass
class Progress:
    """A student's counts against the assignment's targets."""

    student: User
    posts: int
    cited_posts: int
    replies: int
    assignment: PromptAssignment

    @property
    def met(self) -> bool:
        a = self.assignment
        return (self.posts >= a.target_posts and self.cited_posts >= a.target_cited_posts
                and self.replies >= a.target_replies)


def _counts(assignment: PromptAssignment, author_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    posts = db.session.scalars(select(Post).where(
        Post.assignment_id == assignment.id, Post.author_id.in_(author_ids), Post.removed.is_(False),
        Post.hidden.is_(False)))
    counts = {author: [0, 0, 0] for author in author_ids}
    for post in posts:
        row = counts[post.author_id]
        if post.parent_id is None:
            row[0] += 1
            row[1] += 1 if post.citations else 0
        else:
            row[2] += 1
    return {author: tuple(row) for author, row in counts.items()}


def progress_for(assignment: PromptAssignment, student: User) -> Progress:
    """One student's progress (shown to the student)."""
    posts, cited, replies = _counts(assignment, [student.id])[student.id]
    return Progress(student, posts, cited, replies, assignment)


def class_progress(assignment: PromptAssignment) -> list[Progress]:
    """Every student's progress (shown to the teachers)."""
    students = [m.user for m in roster(assignment.classroom, MemberRole.STUDENT)]
    counts = _counts(assignment, [s.id for s in students])
    return [Progress(s, *counts[s.id], assignment) for s in students]


def readings_of(assignment: PromptAssignment) -> list[Source]:
    """The texts a class member may read and cite for this assignment."""
    return citable_sources(assignment.prompt.unit)
