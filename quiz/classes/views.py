"""Class pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quiz.access import student_required, teacher_required
from quiz.classes import bp
from quiz.classes.forms import ClassForm, CoTeacherForm, JoinForm
from quiz.classes.models import MemberRole
from quiz.classes.services import (
    ClassError,
    add_co_teacher,
    class_for,
    classes_of,
    create_class,
    is_teacher_of,
    join_class,
    leave_class,
    regenerate_code,
    remove_member,
    roster,
    set_joining,
    update_class,
)
from quiz.forms import EmptyForm


@bp.get("/")
@login_required
def index():
    """The user's classes."""
    return render_template("classes/index.html", classes=classes_of(current_user))


@bp.route("/new", methods=["GET", "POST"])
@teacher_required
def new():
    """Create a class."""
    form = ClassForm()
    if form.validate_on_submit():
        classroom = create_class(current_user, form.name.data, form.subject.data, form.term.data)
        flash(f"Class “{classroom.name}” created. Share the join code {classroom.join_code} "
              "with your students.", "success")
        return redirect(url_for("classes.show", class_id=classroom.id))
    return render_template("classes/form.html", form=form, classroom=None), 200 if not form.errors else 422


@bp.get("/<int:class_id>")
@login_required
def show(class_id: int):
    """A class: the roster for its teachers, an overview for its students."""
    classroom = class_for(class_id, current_user)
    teaching = is_teacher_of(classroom, current_user)
    return render_template(
        "classes/show.html", classroom=classroom, teaching=teaching,
        students=roster(classroom, MemberRole.STUDENT), teachers=roster(classroom, MemberRole.TEACHER),
        form=EmptyForm(), co_teacher_form=CoTeacherForm())


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit(class_id: int):
    """Rename a class or change its subject and term."""
    classroom = class_for(class_id, current_user, teacher=True)
    form = ClassForm(obj=classroom)
    if form.validate_on_submit():
        update_class(classroom, form.name.data, form.subject.data, form.term.data)
        flash("Class details saved.", "success")
        return redirect(url_for("classes.show", class_id=classroom.id))
    return (render_template("classes/form.html", form=form, classroom=classroom),
            200 if not form.errors else 422)


@bp.post("/<int:class_id>/code")
@teacher_required
def new_code(class_id: int):
    """Replace the join code; the old one stops working."""
    classroom = class_for(class_id, current_user, teacher=True)
    if EmptyForm().validate_on_submit():
        code = regenerate_code(classroom)
        flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/joining/<any(open, closed):state>")
@teacher_required
def joining(class_id: int, state: str):
    """Open or close joining by code."""
    classroom = class_for(class_id, current_user, teacher=True)
    if EmptyForm().validate_on_submit():
        set_joining(classroom, state == "open")
        flash("Students can join with the code." if state == "open"
              else "Joining is closed: the code no longer admits new students.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.route("/join", methods=["GET", "POST"])
@student_required
def join():
    """A student joins a class with its code."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            classroom = join_class(current_user, form.code.data)
        except ClassError as error:
            form.code.errors.append(str(error))
        else:
            flash(f"You have joined {classroom.name}.", "success")
            return redirect(url_for("classes.show", class_id=classroom.id))
    return render_template("classes/join.html", form=form), 200 if not form.errors else 422


@bp.post("/<int:class_id>/leave")
@student_required
def leave(class_id: int):
    """A student leaves a class."""
    classroom = class_for(class_id, current_user)
    if EmptyForm().validate_on_submit():
        try:
            leave_class(current_user, classroom)
        except ClassError as error:
            flash(str(error), "error")
            return redirect(url_for("classes.show", class_id=classroom.id))
        flash(f"You have left {classroom.name}.", "info")
    return redirect(url_for("classes.index"))


@bp.post("/<int:class_id>/students/<int:user_id>/remove")
@teacher_required
def remove_student(class_id: int, user_id: int):
    """Remove a student from the class."""
    classroom = class_for(class_id, current_user, teacher=True)
    if EmptyForm().validate_on_submit():
        student = remove_member(classroom, user_id, MemberRole.STUDENT)
        flash(f"{student.display_name} has been removed from the class.", "info")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/teachers")
@teacher_required
def add_teacher(class_id: int):
    """Add a co-teacher by email."""
    classroom = class_for(class_id, current_user, teacher=True)
    form = CoTeacherForm()
    if form.validate_on_submit():
        try:
            teacher = add_co_teacher(classroom, form.email.data)
        except ClassError as error:
            flash(str(error), "error")
        else:
            flash(f"{teacher.display_name} now co-teaches this class.", "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/teachers/<int:user_id>/remove")
@teacher_required
def remove_teacher(class_id: int, user_id: int):
    """Remove a co-teacher (never the owner)."""
    classroom = class_for(class_id, current_user, teacher=True)
    if EmptyForm().validate_on_submit():
        try:
            teacher = remove_member(classroom, user_id, MemberRole.TEACHER)
        except ClassError as error:
            flash(str(error), "error")
        else:
            flash(f"{teacher.display_name} no longer co-teaches this class.", "info")
    return redirect(url_for("classes.show", class_id=classroom.id))
