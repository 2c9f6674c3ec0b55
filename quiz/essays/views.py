"""Essay pages: writing, the teachers' list, the grading screen, and rubrics."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from quiz.access import teacher_required
from quiz.debates.models import AssignmentKind
from quiz.debates.services import assignment_for, is_teacher_member, readable_prompts
from quiz.essays import bp
from quiz.essays.forms import EssayForm, RubricForm, rubric_grade_form
from quiz.essays.services import (
    STANDARD_RUBRIC,
    EssayError,
    essay_for_grading,
    essay_of,
    essay_rows,
    grade_essay,
    grading_rubric,
    release_grades,
    reopen_essay,
    rubric_for,
    rubric_text,
    rubrics_of,
    save_essay,
    save_rubric,
)
from quiz.forms import EmptyForm


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def assignment(assignment_id: int):
    """Students write (drafts autosave; submit when done); teachers see every student's essay."""
    assignment = assignment_for(assignment_id, current_user, kind=AssignmentKind.ESSAY)
    if is_teacher_member(assignment, current_user):
        if request.method == "POST":
            abort(403)
        return render_template("essays/teacher.html", assignment=assignment, rows=essay_rows(assignment),
                               form=EmptyForm())
    essay = essay_of(assignment, current_user)
    form = EssayForm(obj=essay)
    if form.validate_on_submit():
        submit = "submit" in request.form
        try:
            essay = save_essay(assignment, current_user, form.body.data, submit=submit)
        except EssayError as error:
            if _wants_json():
                return jsonify(error=str(error)), 422
            essay = essay_of(assignment, current_user)
            if essay is not None and essay.submitted_at is not None:
                flash(str(error), "error")  # the submitted page has no form to show the error beside
            form.body.errors.append(str(error))
        else:
            if _wants_json():
                return jsonify(saved_at=essay.saved_at.isoformat(), words=essay.word_count)
            flash("Essay submitted. Your teacher will grade it." if submit else "Draft saved.", "success")
            return redirect(url_for("essays.assignment", assignment_id=assignment.id))
    elif request.method == "POST" and _wants_json():
        return jsonify(error=" ".join(e for errors in form.errors.values() for e in errors)), 422
    return render_template("essays/write.html", assignment=assignment, essay=essay, form=form,
                           rubric=assignment.rubric), 422 if form.errors else 200


@bp.route("/submissions/<int:essay_id>", methods=["GET", "POST"])
@teacher_required
def grade(essay_id: int):
    """The grading screen: the essay beside the rubric, with a comment."""
    essay = essay_for_grading(essay_id, current_user)
    rubric = grading_rubric(essay.assignment)
    form = rubric_grade_form(rubric, essay.grade)
    if form.validate_on_submit():
        try:
            grade_essay(essay, current_user, form.scores(), form.comment.data or "")
        except EssayError as error:
            form.comment.errors.append(str(error))
        else:
            flash(f"Graded {essay.grade.points}/{essay.grade.max_points}. Release the grades when you are "
                  "ready for students to see them.", "success")
            return redirect(url_for("essays.assignment", assignment_id=essay.assignment_id))
    return render_template("essays/grade.html", essay=essay, rubric=rubric, form=form,
                           button=EmptyForm()), 422 if form.errors else 200


@bp.post("/submissions/<int:essay_id>/reopen")
@teacher_required
def reopen(essay_id: int):
    """Give a submitted essay back to its student to revise."""
    essay = essay_for_grading(essay_id, current_user)
    if EmptyForm().validate_on_submit():
        reopen_essay(essay)
        flash(f"{essay.student.display_name} can revise their essay again.", "info")
    return redirect(url_for("essays.assignment", assignment_id=essay.assignment_id))


@bp.post("/<int:assignment_id>/release")
@teacher_required
def release(assignment_id: int):
    """Release every graded essay's scores and comments to the students."""
    assignment = assignment_for(assignment_id, current_user, kind=AssignmentKind.ESSAY, teacher=True)
    if EmptyForm().validate_on_submit():
        count = release_grades(assignment)
        flash(f"Released {count} grade{'s' if count != 1 else ''}." if count
              else "No new grades to release.", "success" if count else "info")
    return redirect(url_for("essays.assignment", assignment_id=assignment.id))


# --------------------------------------------------------------------------- rubrics


@bp.get("/rubrics")
@teacher_required
def rubrics():
    """The teacher's rubrics."""
    return render_template("essays/rubrics.html", rubrics=rubrics_of(current_user))


def _rubric_page(rubric):
    form = RubricForm()
    form.prompt_id.choices = [SelectChoice(0, "No particular prompt")] + [
        SelectChoice(p.id, p.title, optgroup=p.unit.title) for p in readable_prompts(current_user)]
    if request.method == "GET":
        form.title.data = rubric.title if rubric else ""
        form.prompt_id.data = (rubric.prompt_id or 0) if rubric else 0
        form.text.data = rubric_text(rubric) if rubric else STANDARD_RUBRIC
    if form.validate_on_submit():
        prompt = next((p for p in readable_prompts(current_user) if p.id == form.prompt_id.data), None)
        try:
            saved = save_rubric(rubric, current_user, form.title.data, form.text.data, prompt)
        except EssayError as error:
            form.text.errors.append(str(error))
        else:
            flash("Rubric saved.", "success")
            return redirect(url_for("essays.edit_rubric", rubric_id=saved.id))
    return render_template("essays/rubric_form.html", form=form, rubric=rubric), 422 if form.errors else 200


@bp.route("/rubrics/new", methods=["GET", "POST"])
@teacher_required
def new_rubric():
    """Write a rubric (it starts from the standard one)."""
    return _rubric_page(None)


@bp.route("/rubrics/<int:rubric_id>", methods=["GET", "POST"])
@teacher_required
def edit_rubric(rubric_id: int):
    """A rubric as a table, and its text to edit."""
    return _rubric_page(rubric_for(rubric_id, current_user))
