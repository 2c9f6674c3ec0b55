"""Prompt pages, assigning prompts to classes, and the live debate screens."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from question_bank.models import Unit
from quiz.access import student_required, teacher_required
from quiz.classes.services import class_for, is_teacher_of
from quiz.debates import bp
from quiz.debates.forms import AssignForm, JoinDebateForm, PromptForm, RoundsForm, SideForm, VoteForm
from quiz.debates.models import AssignmentKind, DebateStatus, VotePhase
from quiz.debates.services import (
    DebateError,
    advance,
    assign_prompt,
    assign_sides,
    assignment_for,
    cast_vote,
    choose_side,
    class_assignments,
    copy_prompt,
    delete_assignment,
    ensure_participant,
    join_debate,
    manage_speaker,
    my_vote,
    open_vote_phase,
    open_work_for,
    prompt_for,
    readable_prompts,
    request_to_speak,
    save_prompt,
    set_rounds,
    state,
)
from quiz.essays.services import rubrics_of
from quiz.extensions import db
from quiz.forms import EmptyForm

KIND_ENDPOINTS = {AssignmentKind.DISCUSSION: "discussions.thread", AssignmentKind.ESSAY: "essays.assignment",
                  AssignmentKind.DEBATE: "debates.live"}


@bp.app_template_global()
def assignment_url(assignment) -> str:
    """The page of an assignment, whatever its kind."""
    return url_for(KIND_ENDPOINTS[assignment.kind], assignment_id=assignment.id)


@bp.app_template_global()
def open_prompt_work(user) -> list:
    """A student's open discussions, essays and debates (for the dashboard)."""
    return open_work_for(user) if user.is_authenticated and user.is_student else []


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


# --------------------------------------------------------------------------- prompts


def _unit_choices() -> list[SelectChoice]:
    units = db.session.scalars(select(Unit)
                               .where(or_(Unit.owner_id.is_(None), Unit.owner_id == current_user.id))
                               .order_by(Unit.title))
    return [SelectChoice(unit.id, unit.title) for unit in units]


@bp.get("/prompts")
@teacher_required
def prompts():
    """The prompts a teacher can assign: the shipped units' and their own."""
    return render_template("debates/prompts.html", prompts=readable_prompts(current_user), form=EmptyForm())


@bp.get("/prompts/<int:prompt_id>")
@teacher_required
def prompt(prompt_id: int):
    """A prompt with its positions and suggested passages."""
    return render_template("debates/prompt.html", prompt=prompt_for(prompt_id, current_user),
                           form=EmptyForm())


def _prompt_form_page(prompt_obj):
    form = PromptForm(obj=None)
    form.unit_id.choices = _unit_choices()
    if request.method == "GET" and prompt_obj is not None:
        form.unit_id.data, form.title.data = prompt_obj.unit_id, prompt_obj.title
        form.question.data, form.framing.data = prompt_obj.question, prompt_obj.framing
        by_stance = {p.get("stance"): p.get("summary", "") for p in prompt_obj.positions}
        form.position_for.data = by_stance.get("for", "")
        form.position_against.data = by_stance.get("against", "")
        form.position_other.data = by_stance.get("other", "")
        form.evidence.data = "\n".join(f"{e.source_ref} | {e.quote_hint}" for e in prompt_obj.evidence)
    elif request.method == "GET" and request.args.get("unit", type=int):
        form.unit_id.data = request.args.get("unit", type=int)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        try:
            if unit is None:
                raise DebateError("Choose one of your units or a shipped unit.")
            saved = save_prompt(prompt_obj, current_user, unit, title=form.title.data,
                                question=form.question.data, framing=form.framing.data or "",
                                positions=form.positions(), evidence=form.evidence_items())
        except DebateError as error:
            form.unit_id.errors.append(str(error))
        else:
            flash("Prompt saved.", "success")
            return redirect(url_for("debates.prompt", prompt_id=saved.id))
    return (render_template("debates/prompt_form.html", form=form, prompt=prompt_obj),
            422 if form.errors else 200)


@bp.route("/prompts/new", methods=["GET", "POST"])
@teacher_required
def new_prompt():
    """Write a prompt of one's own."""
    return _prompt_form_page(None)


@bp.route("/prompts/<int:prompt_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_prompt(prompt_id: int):
    """Change one's own prompt."""
    return _prompt_form_page(prompt_for(prompt_id, current_user, edit=True))


@bp.post("/prompts/<int:prompt_id>/copy")
@teacher_required
def copy(prompt_id: int):
    """Make an editable copy of a prompt (a shipped one, usually)."""
    original = prompt_for(prompt_id, current_user)
    if EmptyForm().validate_on_submit():
        copied = copy_prompt(original, current_user)
        flash("Copied: this is your own prompt now, ready to edit.", "success")
        return redirect(url_for("debates.edit_prompt", prompt_id=copied.id))
    return redirect(url_for("debates.prompt", prompt_id=original.id))


# --------------------------------------------------------------------------- assignments


@bp.get("/classes/<int:class_id>")
@login_required
def class_work(class_id: int):
    """A class's discussions, essays and debates."""
    classroom = class_for(class_id, current_user)
    return render_template("debates/class_work.html", classroom=classroom,
                           teaching=is_teacher_of(classroom, current_user),
                           assignments=class_assignments(classroom))


@bp.route("/classes/<int:class_id>/assign", methods=["GET", "POST"])
@teacher_required
def assign(class_id: int):
    """Set a prompt to the class as a discussion, an essay or a live debate."""
    classroom = class_for(class_id, current_user, teacher=True)
    form = AssignForm()
    choices = readable_prompts(current_user)
    form.prompt_id.choices = [SelectChoice(p.id, p.title, optgroup=p.unit.title) for p in choices]
    form.rubric_id.choices = [SelectChoice(0, "The standard essay rubric")] + [
        SelectChoice(r.id, r.title) for r in rubrics_of(current_user)]
    if request.method == "GET" and request.args.get("prompt", type=int):
        form.prompt_id.data = request.args.get("prompt", type=int)
    if form.validate_on_submit():
        chosen = next((p for p in choices if p.id == form.prompt_id.data), None)
        rubric = next((r for r in rubrics_of(current_user) if r.id == form.rubric_id.data), None)
        try:
            if chosen is None:
                raise DebateError("Choose one of your prompts or a shipped one.")
            assignment = assign_prompt(
                classroom, current_user, chosen, form.kind.data, instructions=form.instructions.data or "",
                anonymous=form.anonymous.data, target_posts=form.target_posts.data or 0,
                target_cited_posts=form.target_cited_posts.data or 0,
                target_replies=form.target_replies.data or 0, rubric=rubric,
                min_words=form.min_words.data or 0, rounds=form.rounds(),
                students_choose_side=form.students_choose_side.data)
        except DebateError as error:
            form.prompt_id.errors.append(str(error))
        else:
            flash(f"“{chosen.title}” is set as a {assignment.kind}.", "success")
            return redirect(assignment_url(assignment))
    return (render_template("debates/assign.html", form=form, classroom=classroom, has_prompts=bool(choices)),
            422 if form.errors else 200)


@bp.post("/assignments/<int:assignment_id>/delete")
@teacher_required
def delete(assignment_id: int):
    """Remove an assignment and everything written for it."""
    assignment = assignment_for(assignment_id, current_user, teacher=True)
    classroom_id = assignment.classroom_id
    if EmptyForm().validate_on_submit():
        delete_assignment(assignment)
        flash("PromptAssignment removed.", "info")
    return redirect(url_for("debates.class_work", class_id=classroom_id))


# --------------------------------------------------------------------------- live debates


def _debate(assignment_id: int, *, teacher: bool = False):
    assignment = assignment_for(assignment_id, current_user, kind=AssignmentKind.DEBATE, teacher=teacher)
    return assignment, assignment.live


@bp.route("/join", methods=["GET", "POST"])
@student_required
def join():
    """A student joins a live debate with its code."""
    form = JoinDebateForm()
    if form.validate_on_submit():
        try:
            debate = join_debate(current_user, form.code.data)
        except DebateError as error:
            form.code.errors.append(str(error))
        else:
            return redirect(url_for("debates.live", assignment_id=debate.assignment_id))
    return render_template("debates/join.html", form=form), 422 if form.errors else 200


@bp.get("/live/<int:assignment_id>")
@login_required
def live(assignment_id: int):
    """The debate: the teacher's controls, or a student's side, queue and vote."""
    assignment, debate = _debate(assignment_id)
    teaching = is_teacher_of(assignment.classroom, current_user)
    if teaching:
        rounds_form = RoundsForm(data={
            "opening": debate.rounds[0]["seconds"] / 60 if len(debate.rounds) > 0 else 3,
            "rebuttal": debate.rounds[1]["seconds"] / 60 if len(debate.rounds) > 1 else 2,
            "closing": debate.rounds[2]["seconds"] / 60 if len(debate.rounds) > 2 else 1.5,
            "students_choose_side": debate.students_choose_side})
        return render_template("debates/live_teacher.html", assignment=assignment, debate=debate,
                               state=state(debate, show_tallies=True), form=EmptyForm(),
                               rounds_form=rounds_form)
    me = ensure_participant(debate, current_user) if debate.status != DebateStatus.FINISHED else None
    phase = open_vote_phase(debate)
    return render_template(
        "debates/live_student.html", assignment=assignment, debate=debate, me=me,
        state=state(debate, show_tallies=False), side_form=SideForm(), vote_form=VoteForm(),
        form=EmptyForm(), phase=phase, my_vote=my_vote(debate, current_user, phase) if phase else None,
        before_vote=my_vote(debate, current_user, VotePhase.BEFORE))


@bp.get("/live/<int:assignment_id>/projector")
@teacher_required
def projector(assignment_id: int):
    """The big screen: round, timer, speaking queue and live vote tallies."""
    assignment, debate = _debate(assignment_id, teacher=True)
    return render_template("debates/projector.html", assignment=assignment, debate=debate,
                           state=state(debate, show_tallies=True))


@bp.get("/live/<int:assignment_id>/state")
@login_required
def live_state(assignment_id: int):
    """The debate's state as JSON, polled by every screen about once a second."""
    assignment, debate = _debate(assignment_id)
    response = jsonify(state(debate, show_tallies=is_teacher_of(assignment.classroom, current_user)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/live/<int:assignment_id>/control/<any(start, next, restart, vote, finish):action>")
@teacher_required
def control(assignment_id: int, action: str):
    """The teacher moves the debate on."""
    assignment, debate = _debate(assignment_id, teacher=True)
    if EmptyForm().validate_on_submit():
        try:
            advance(debate, action)
        except DebateError as error:
            flash(str(error), "error")
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/rounds")
@teacher_required
def rounds(assignment_id: int):
    """Change the rounds' durations before the start."""
    assignment, debate = _debate(assignment_id, teacher=True)
    form = RoundsForm()
    if form.validate_on_submit():
        try:
            set_rounds(debate, form.rounds(), form.students_choose_side.data)
        except DebateError as error:
            flash(str(error), "error")
        else:
            flash("Rounds saved.", "success")
    else:
        _flash_errors(form)
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/sides")
@teacher_required
def sides(assignment_id: int):
    """Deal the students without a side to the smaller side."""
    assignment, debate = _debate(assignment_id, teacher=True)
    if EmptyForm().validate_on_submit():
        assign_sides(debate)
        flash("Sides dealt out.", "success")
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/side")
@student_required
def side(assignment_id: int):
    """A student picks their side."""
    assignment, debate = _debate(assignment_id)
    form = SideForm()
    if form.validate_on_submit():
        try:
            choose_side(debate, current_user, form.side.data)
        except DebateError as error:
            flash(str(error), "error")
    else:
        flash("Choose for or against.", "error")
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/vote")
@student_required
def vote(assignment_id: int):
    """A student casts (or changes) their vote before or after the debate."""
    assignment, debate = _debate(assignment_id)
    form = VoteForm()
    if form.validate_on_submit():
        try:
            cast_vote(debate, current_user, form.side.data)
        except DebateError as error:
            flash(str(error), "error")
        else:
            flash("Vote counted.", "success")
    else:
        flash("Choose for, against or undecided.", "error")
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/queue")
@student_required
def queue(assignment_id: int):
    """A student asks to speak."""
    assignment, debate = _debate(assignment_id)
    if EmptyForm().validate_on_submit():
        try:
            request_to_speak(debate, current_user)
        except DebateError as error:
            flash(str(error), "error")
        else:
            flash("You are in the speaking queue.", "success")
    return redirect(url_for("debates.live", assignment_id=assignment.id))


@bp.post("/live/<int:assignment_id>/queue/<int:speaker_id>/<any(speak, done, remove):action>")
@teacher_required
def speaker(assignment_id: int, speaker_id: int, action: str):
    """The teacher gives the floor to a speaker, marks them done, or takes them off the queue."""
    assignment, debate = _debate(assignment_id, teacher=True)
    if EmptyForm().validate_on_submit():
        manage_speaker(debate, speaker_id, action)
    return redirect(url_for("debates.live", assignment_id=assignment.id))

