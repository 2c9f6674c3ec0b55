"""Progress pages: a student's own progress; a class's gradebook, item analysis, mastery and study cards."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from quiz import clock
from quiz.access import teacher_required
from quiz.classes.services import class_for
from quiz.progress import bp
from quiz.progress.charts import mastery_bars, score_line
from quiz.progress.forms import OverrideForm
from quiz.progress.services import (
    ProgressError,
    assignment_for_teacher,
    class_cards,
    class_mastery,
    grade_cell,
    grade_history,
    gradebook,
    gradebook_csv,
    gradebook_json_text,
    item_analysis,
    override_grade,
    practisable_tags,
    student_of,
    student_progress,
    teaching_classes,
)


@bp.app_template_filter("progress_percent")
def percent_filter(value: float | None, digits: int = 0) -> str:
    """A percentage such as "72%", or a dash for none (a filter: the gradebook calls it thousands of times)."""
    return "—" if value is None else f"{value:.{digits}f}%"


@bp.app_template_global("progress_cell")
def gradebook_cell(cell, href: str) -> Markup:
    """One gradebook cell's HTML: the grade (or standing) linked to its page, then its marks.

    Written in Python rather than the template because a large class has thousands of cells and this
    is several times faster; every value is escaped all the same.
    """
    text = f"{cell.grade:.0f}%" if cell.grade is not None else cell.status
    marks = []
    if cell.grade is not None and cell.status != "done":
        marks.append(("", cell.status))
    if cell.attempts:
        marks.append(("", f"{cell.attempts} attempt{'s' if cell.attempts != 1 else ''}"))
    for flag, label in ((cell.due_soon, "due soon"), (cell.overridden, "overridden"), (cell.late, "late"),
                        (cell.needs_grading, "to mark"), (cell.below_pass, "below pass")):
        if flag:
            marks.append((" flag", label))
    # Every value is escaped here; Markup.format would do the same but at several times the cost.
    spans = "".join(f'<span class="mark{kind}">{escape(label)}</span>' for kind, label in marks)
    status = escape(cell.status.replace(" ", "-"))
    return Markup(f'<td class="status-{status}"><a href="{escape(href)}">{escape(text)}</a>{spans}</td>')  # noqa: S704


def _file_name(name: str, suffix: str) -> str:
    """A safe ASCII download name from a class name."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "class"
    return f"{stem}-gradebook.{suffix}"


@bp.get("/")
@login_required
def index():
    """Students: their own progress. Teachers: their classes' gradebooks and reports."""
    if current_user.is_teacher:
        return render_template("progress/teacher_index.html", classes=teaching_classes(current_user))
    progress = student_progress(current_user, clock.now())
    return render_template("progress/student.html", progress=progress,
                           scores_chart=score_line(progress.timeline), mastery_chart=mastery_bars(progress.topics),
                           practisable=practisable_tags(current_user))


@bp.get("/classes/<int:class_id>/gradebook")
@teacher_required
def class_gradebook(class_id: int):
    """Students × quizzes: grades by each quiz's method, attempts, and who is behind."""
    classroom = class_for(class_id, current_user, teacher=True)
    book = gradebook(classroom, clock.now())
    # url_for once per column rather than once per cell: a big class has thousands of cells.
    links = {a.id: url_for("progress.grade", assignment_id=a.id, student_id=0).removesuffix("0")
             for a in book.assignments}
    return render_template("progress/gradebook.html", book=book, classroom=classroom, links=links)


@bp.get("/classes/<int:class_id>/students/<int:student_id>")
@teacher_required
def student(class_id: int, student_id: int):
    """A student's progress as their teacher sees it: this class's quizzes, their topics and cards."""
    classroom = class_for(class_id, current_user, teacher=True)
    pupil = student_of(classroom, student_id)
    progress = student_progress(pupil, clock.now(), classroom=classroom)
    return render_template("progress/student.html", progress=progress, classroom=classroom, teacher_view=True,
                           scores_chart=score_line(progress.timeline), mastery_chart=mastery_bars(progress.topics),
                           practisable=set())


@bp.get("/classes/<int:class_id>/gradebook.csv")
@teacher_required
def gradebook_as_csv(class_id: int):
    """The gradebook as a spreadsheet: one row per student."""
    classroom = class_for(class_id, current_user, teacher=True)
    return Response(gradebook_csv(gradebook(classroom, clock.now())), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={_file_name(classroom.name, 'csv')}"})


@bp.get("/classes/<int:class_id>/gradebook.json")
@teacher_required
def gradebook_as_json(class_id: int):
    """The gradebook as JSON, for other tools."""
    classroom = class_for(class_id, current_user, teacher=True)
    return Response(gradebook_json_text(gradebook(classroom, clock.now())), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={_file_name(classroom.name, 'json')}"})


@bp.route("/assignments/<int:assignment_id>/students/<int:student_id>", methods=["GET", "POST"])
@teacher_required
def grade(assignment_id: int, student_id: int):
    """One student's grade on one quiz: their attempts, and overriding the grade with a reason."""
    assignment = assignment_for_teacher(assignment_id, current_user)
    student = student_of(assignment.classroom, student_id)
    form = OverrideForm()
    if form.validate_on_submit():
        percent = None if form.percent.data is None else float(form.percent.data)
        try:
            override_grade(assignment, student, current_user, percent, form.reason.data)
        except ProgressError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Grade for {student.display_name} removed from override: the quiz's grade applies again."
                  if percent is None else f"{student.display_name}'s grade is now {percent:g}%.", "success")
            return redirect(url_for("progress.grade", assignment_id=assignment.id, student_id=student.id))
    cell, attempts = grade_cell(assignment, student, clock.now())
    return render_template("progress/grade.html", assignment=assignment, quiz=assignment.quiz, student=student,
                           cell=cell, attempts=attempts, history=grade_history(assignment, student),
                           form=form), 422 if form.errors or form.form_errors else 200


@bp.get("/assignments/<int:assignment_id>/items")
@teacher_required
def items(assignment_id: int):
    """Item analysis of an assigned quiz: each question's facility, spread and discrimination, with flags."""
    assignment = assignment_for_teacher(assignment_id, current_user)
    return render_template("progress/items.html", analysis=item_analysis(assignment),
                           assignment=assignment, quiz=assignment.quiz)


@bp.get("/classes/<int:class_id>/mastery")
@teacher_required
def mastery(class_id: int):
    """Topic × student mastery, weakest topics first, and the questions the class most often misses."""
    classroom = class_for(class_id, current_user, teacher=True)
    return render_template("progress/mastery.html", report=class_mastery(classroom), classroom=classroom)


@bp.get("/classes/<int:class_id>/cards")
@teacher_required
def cards(class_id: int):
    """Each student's study cards: how many are due and how well they are recalled."""
    classroom = class_for(class_id, current_user, teacher=True)
    return render_template("progress/cards.html", rows=class_cards(classroom, clock.now()), classroom=classroom)
