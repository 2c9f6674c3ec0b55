"""Discussion thread pages: reading, posting, voting and moderating."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from question_bank.models import Source
from quiz.access import student_required, teacher_required
from quiz.debates.models import AssignmentKind
from quiz.debates.services import assignment_for, is_teacher_member
from quiz.debates.text import render_markdown
from quiz.discussions import bp
from quiz.discussions.forms import PostForm
from quiz.discussions.services import (
    DiscussionError,
    activity,
    add_post,
    aliases,
    author_name,
    can_edit,
    class_progress,
    delete_post,
    edit_post,
    moderate,
    my_votes,
    post_for,
    progress_for,
    readings_of,
    set_locked,
    stance_summary,
    top_level_posts,
    vote,
    vote_counts,
)
from quiz.extensions import db
from quiz.forms import EmptyForm

POSTS_PER_PAGE = 20
MODERATED = {"hide": "Post hidden from students.", "unhide": "Post shown again.",
             "pin": "Post pinned to the top.", "unpin": "Post unpinned."}
EVENTS_PER_PAGE = 50


@bp.app_template_filter("markdown")
def markdown_filter(text: str):
    """Markdown rendered to sanitised HTML."""
    return render_markdown(text)


def _thread(assignment_id: int, *, teacher: bool = False):
    return assignment_for(assignment_id, current_user, kind=AssignmentKind.DISCUSSION, teacher=teacher)


def _passage_choices(assignment) -> list[SelectChoice]:
    """Passages grouped by reading, for the citation picker."""
    return [SelectChoice(p.id, f"¶{p.index + 1}: {p.text[:110]}{'…' if len(p.text) > 110 else ''}",
                         optgroup=source.title or source.name)
            for source in readings_of(assignment) for p in source.passages]


def _post_form(assignment, **kwargs) -> PostForm:
    form = PostForm(**kwargs)
    form.passages.choices = _passage_choices(assignment)
    return form


def _thread_page(assignment, form: PostForm, status: int = 200):
    teaching = is_teacher_member(assignment, current_user)
    page = db.paginate(top_level_posts(assignment, include_hidden=teaching), per_page=POSTS_PER_PAGE,
                       error_out=False)
    suggested = [e for e in assignment.prompt.evidence if e.passage_id]
    return render_template(
        "discussions/thread.html", assignment=assignment, prompt=assignment.prompt, page=page, form=form,
        teaching=teaching, summary=stance_summary(assignment), votes=vote_counts(assignment),
        voted=my_votes(assignment, current_user), alias_map=aliases(assignment), author_name=author_name,
        can_edit=can_edit, progress=None if teaching else progress_for(assignment, current_user),
        class_progress=class_progress(assignment) if teaching and assignment.has_targets else [],
        suggested=suggested, button=EmptyForm()), status


@bp.get("/<int:assignment_id>")
@login_required
def thread(assignment_id: int):
    """The thread: prompt, stance summary, posts with replies and citations, and the post form."""
    assignment = _thread(assignment_id)
    form = _post_form(assignment)
    if request.args.get("cite", type=int):
        form.passages.data = [request.args.get("cite", type=int)]
    return _thread_page(assignment, form)


@bp.post("/<int:assignment_id>/posts")
@login_required
def create_post(assignment_id: int):
    """Post to the thread, or reply to a post in it."""
    assignment = _thread(assignment_id)
    form = _post_form(assignment)
    if form.validate_on_submit():
        parent = None
        if form.parent_id.data:
            try:
                parent = post_for(int(form.parent_id.data), current_user)
            except ValueError:
                abort(400)
        try:
            post = add_post(assignment, current_user, form.body.data, form.stance.data,
                            form.passages.data or [], parent)
        except DiscussionError as error:
            form.body.errors.append(str(error))
        else:
            flash("Reply posted." if parent else "Posted.", "success")
            return redirect(url_for("discussions.thread", assignment_id=assignment.id,
                                    page=request.args.get("page", type=int)) + f"#post-{post.id}")
    flash("Your post was not saved: " + " ".join(e for errors in form.errors.values() for e in errors),
          "error")
    return _thread_page(assignment, form, 422)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """The author edits a post within 15 minutes."""
    post = post_for(post_id, current_user)
    if post.author_id != current_user.id:
        abort(403)
    form = _post_form(post.assignment, obj=None if request.method == "POST" else post)
    if request.method == "GET":
        form.passages.data = [c.passage_id for c in post.citations if c.passage_id]
    if not can_edit(post, current_user):
        flash("Posts can be edited for 15 minutes after posting.", "error")
        return redirect(url_for("discussions.thread", assignment_id=post.assignment_id) + f"#post-{post.id}")
    if form.validate_on_submit():
        try:
            edit_post(post, current_user, form.body.data, form.stance.data, form.passages.data or [])
        except DiscussionError as error:
            form.body.errors.append(str(error))
        else:
            flash("Post updated.", "success")
            return redirect(url_for("discussions.thread", assignment_id=post.assignment_id)
                            + f"#post-{post.id}")
    return render_template("discussions/edit.html", form=form, post=post,
                           assignment=post.assignment), 422 if form.errors else 200


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete(post_id: int):
    """The author deletes a post (kept as "removed" when it has replies)."""
    post = post_for(post_id, current_user)
    assignment_id = post.assignment_id
    if post.author_id != current_user.id:
        abort(403)
    if EmptyForm().validate_on_submit():
        try:
            kept = delete_post(post, current_user)
        except DiscussionError as error:
            flash(str(error), "error")
        else:
            flash("Post removed; its replies stay." if kept else "Post deleted.", "info")
    return redirect(url_for("discussions.thread", assignment_id=assignment_id))


@bp.post("/posts/<int:post_id>/vote")
@student_required
def vote_post(post_id: int):
    """A student marks a classmate's post as convincing."""
    post = post_for(post_id, current_user)
    if EmptyForm().validate_on_submit():
        try:
            vote(post, current_user)
        except DiscussionError as error:
            flash(str(error), "error")
        else:
            flash("Vote counted.", "success")
    return redirect(url_for("discussions.thread", assignment_id=post.assignment_id) + f"#post-{post.id}")


@bp.post("/posts/<int:post_id>/<any(hide, unhide, pin, unpin):action>")
@teacher_required
def moderate_post(post_id: int, action: str):
    """A teacher hides, unhides, pins or unpins a post."""
    post = post_for(post_id, current_user)
    assignment_for(post.assignment_id, current_user, teacher=True)
    if EmptyForm().validate_on_submit():
        try:
            moderate(post, current_user, action)
        except DiscussionError as error:
            flash(str(error), "error")
        else:
            flash(MODERATED[action], "success")
    return redirect(url_for("discussions.thread", assignment_id=post.assignment_id) + f"#post-{post.id}")


@bp.post("/<int:assignment_id>/<any(lock, unlock):action>")
@teacher_required
def lock(assignment_id: int, action: str):
    """A teacher locks the thread, or opens it again."""
    assignment = _thread(assignment_id, teacher=True)
    if EmptyForm().validate_on_submit():
        set_locked(assignment, current_user, action == "lock")
        flash("Thread locked: no new posts, replies or votes." if action == "lock" else "Thread reopened.",
              "success")
    return redirect(url_for("discussions.thread", assignment_id=assignment.id))


@bp.get("/<int:assignment_id>/activity")
@teacher_required
def activity_list(assignment_id: int):
    """Who posted, replied, voted and moderated, newest first, with each student's progress."""
    assignment = _thread(assignment_id, teacher=True)
    page = db.paginate(activity(assignment), per_page=EVENTS_PER_PAGE, error_out=False)
    return render_template("discussions/activity.html", assignment=assignment, page=page,
                           progress=class_progress(assignment))


@bp.get("/<int:assignment_id>/readings/<int:source_id>")
@login_required
def reading(assignment_id: int, source_id: int):
    """A reading of the prompt's unit, passage by passage, for the class's members to read and cite."""
    assignment = assignment_for(assignment_id, current_user)
    source = db.get_or_404(Source, source_id)
    if source.id not in {s.id for s in readings_of(assignment)}:
        abort(404)
    return render_template("discussions/reading.html", assignment=assignment, source=source)
