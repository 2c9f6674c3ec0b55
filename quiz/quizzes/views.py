"""Quiz pages: teachers build, assign and follow quizzes; students take and review them."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from question_bank.models import Question, QuestionTag, Source, Unit
from quiz import clock
from quiz.access import student_required, teacher_required
from quiz.classes.models import MemberRole
from quiz.classes.services import classes_of, roster
from quiz.database import conditional_writes
from quiz.extensions import db
from quiz.forms import EmptyForm
from quiz.quizzes import bp
from quiz.quizzes.forms import (
    AccommodationForm,
    AddQuestionsForm,
    AssignForm,
    ManualGradeForm,
    QuizForm,
    RuleForm,
)
from quiz.quizzes.models import Assignment, Attempt, AttemptSlot, Quiz
from quiz.quizzes.services import (
    QUIZ_FIELDS,
    AttemptClosed,
    QuizError,
    accommodation_of,
    add_questions,
    add_rule,
    assign,
    assignment_for,
    attempt_for,
    bank_questions_for,
    create_quiz,
    grade_manually,
    has_attempts,
    move_item,
    page_of,
    preview,
    quiz_for,
    read_response,
    refresh,
    remove_item,
    remove_rule,
    review_options,
    save_answer,
    save_answers,
    set_accommodation,
    slot_of,
    start_attempt,
    state,
    student_may_read_source,
    submit,
    to_do,
    unassign,
)
from quiz.templating import to_school, to_utc

PICK_PER_PAGE = 20


def _settings(form: QuizForm) -> dict:
    values = {name: getattr(form, name).data for name in QUIZ_FIELDS}
    values["opens_at"], values["closes_at"] = to_utc(values["opens_at"]), to_utc(values["closes_at"])
    values["pass_mark"] = float(values["pass_mark"]) if values["pass_mark"] is not None else None
    values["instructions"] = values["instructions"] or ""
    return values


def _flash_errors(form) -> None:
    for name, errors in form.errors.items():
        label = getattr(form, name).label.text if name and hasattr(form, name) else ""
        for error in errors:
            flash(f"{label}: {error}" if label else error, "error")


# --------------------------------------------------------------------------- teachers


@bp.get("/")
@login_required
def index():
    """Teachers: their quizzes. Students: their to-do list."""
    if not current_user.is_teacher:
        return render_template("quizzes/todo.html", rows=to_do(current_user), now=clock.now())
    quizzes = db.session.scalars(select(Quiz).where(Quiz.owner_id == current_user.id)
                                 .order_by(Quiz.created_at.desc())).all()
    return render_template("quizzes/index.html", quizzes=quizzes)


@bp.route("/new", methods=["GET", "POST"])
@teacher_required
def new():
    """Create a quiz."""
    form = QuizForm()
    if form.validate_on_submit():
        try:
            quiz = create_quiz(current_user, **_settings(form))
        except QuizError as error:
            form.closes_at.errors.append(str(error))
        else:
            flash("Quiz created. Now add questions from the bank.", "success")
            return redirect(url_for("quizzes.pick", quiz_id=quiz.id))
    return render_template("quizzes/form.html", form=form, quiz=None), 200 if not form.errors else 422


@bp.get("/<int:quiz_id>")
@teacher_required
def show(quiz_id: int):
    """A quiz: its questions, random rules, classes and how far each class has got."""
    quiz = quiz_for(quiz_id, current_user)
    counts = dict(db.session.execute(
        select(Attempt.assignment_id, func.count(Attempt.id)).join(Assignment)
        .where(Assignment.quiz_id == quiz.id).group_by(Attempt.assignment_id)).all())
    units = db.session.scalars(select(Unit).where(or_(Unit.owner_id.is_(None), Unit.owner_id == current_user.id))
                               .order_by(Unit.title)).all()
    rule_form = RuleForm()
    rule_form.unit_id.choices = [(0, "Any of my units and the shipped units")] + [(u.id, u.title) for u in units]
    assign_form = AssignForm()
    assign_form.classroom_id.choices = [(c.id, c.name) for c in classes_of(current_user, MemberRole.TEACHER)]
    return render_template("quizzes/show.html", quiz=quiz, counts=counts, rule_form=rule_form,
                           assign_form=assign_form, form=EmptyForm(), started=has_attempts(quiz))


@bp.route("/<int:quiz_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit(quiz_id: int):
    """Change a quiz's settings (attempts already started keep their questions)."""
    quiz = quiz_for(quiz_id, current_user)
    form = QuizForm(obj=quiz)
    if request.method == "GET":
        form.opens_at.data, form.closes_at.data = to_school(quiz.opens_at), to_school(quiz.closes_at)
    if form.validate_on_submit():
        from quiz.quizzes.services import update_quiz

        update_quiz(quiz, **_settings(form))
        flash("Settings saved.", "success")
        return redirect(url_for("quizzes.show", quiz_id=quiz.id))
    return (render_template("quizzes/form.html", form=form, quiz=quiz, started=has_attempts(quiz)),
            200 if not form.errors else 422)


@bp.route("/<int:quiz_id>/questions", methods=["GET", "POST"])
@teacher_required
def pick(quiz_id: int):
    """Choose approved questions from the bank, filtered by unit, type, tag and words."""
    quiz = quiz_for(quiz_id, current_user)
    form = AddQuestionsForm()
    if form.validate_on_submit():
        try:
            added = add_questions(quiz, current_user, form.question_ids.data, float(form.marks.data))
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash(f"Added {added} question{'s' if added != 1 else ''} to the quiz.", "success")
            return redirect(url_for("quizzes.show", quiz_id=quiz.id))
    elif request.method == "POST":
        _flash_errors(form)
    args = request.args
    query = bank_questions_for(current_user)
    if args.get("unit", type=int):
        query = query.where(Question.unit_id == args.get("unit", type=int))
    if args.get("type"):
        query = query.where(Question.type == args["type"])
    if args.get("tag"):
        query = query.where(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == args["tag"])))
    if args.get("q"):
        query = query.where(Question.stem.ilike(f"%{args['q'][:100]}%"))
    page = db.paginate(query.order_by(Question.unit_id, Question.id), per_page=PICK_PER_PAGE, error_out=False)
    units = db.session.scalars(select(Unit).where(or_(Unit.owner_id.is_(None), Unit.owner_id == current_user.id))
                               .order_by(Unit.title)).all()
    present = {item.question_id for item in quiz.items}
    return render_template("quizzes/pick.html", quiz=quiz, form=form, page=page, units=units, present=present,
                           args=args), 200 if request.method == "GET" else 422


@bp.post("/<int:quiz_id>/items/<int:item_id>/remove")
@teacher_required
def remove_question(quiz_id: int, item_id: int):
    """Take a question out of the quiz."""
    quiz = quiz_for(quiz_id, current_user)
    if EmptyForm().validate_on_submit():
        remove_item(quiz, item_id)
        flash("Question removed from the quiz. Attempts already started keep it.", "info")
    return redirect(url_for("quizzes.show", quiz_id=quiz.id))


@bp.post("/<int:quiz_id>/items/<int:item_id>/move/<any(up, down):direction>")
@teacher_required
def move_question(quiz_id: int, item_id: int, direction: str):
    """Move a question up or down."""
    quiz = quiz_for(quiz_id, current_user)
    if EmptyForm().validate_on_submit():
        move_item(quiz, item_id, direction)
    return redirect(url_for("quizzes.show", quiz_id=quiz.id) + f"#item-{item_id}")


@bp.post("/<int:quiz_id>/rules")
@teacher_required
def add_random(quiz_id: int):
    """Add "N random questions" drawn afresh for each attempt."""
    quiz = quiz_for(quiz_id, current_user)
    form = RuleForm()
    form.unit_id.choices = []
    if form.validate_on_submit():
        tags = [t.strip().lower() for t in (form.tags.data or "").split(",") if t.strip()]
        try:
            add_rule(quiz, current_user, count=form.count.data, unit_id=form.unit_id.data or None, tags=tags,
                     types=form.types.data, difficulty_min=float(form.difficulty_min.data),
                     difficulty_max=float(form.difficulty_max.data), marks=float(form.marks.data))
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash("Random questions added: each attempt draws its own.", "success")
    else:
        _flash_errors(form)
    return redirect(url_for("quizzes.show", quiz_id=quiz.id))


@bp.post("/<int:quiz_id>/rules/<int:rule_id>/remove")
@teacher_required
def remove_random(quiz_id: int, rule_id: int):
    """Take a random rule out of the quiz."""
    quiz = quiz_for(quiz_id, current_user)
    if EmptyForm().validate_on_submit():
        remove_rule(quiz, rule_id)
        flash("Random questions removed.", "info")
    return redirect(url_for("quizzes.show", quiz_id=quiz.id))


@bp.get("/<int:quiz_id>/preview")
@teacher_required
def preview_quiz(quiz_id: int):
    """The quiz as a student sees it; nothing is recorded."""
    quiz = quiz_for(quiz_id, current_user)
    return render_template("quizzes/preview.html", quiz=quiz, entries=preview(quiz))


@bp.post("/<int:quiz_id>/assign")
@teacher_required
def assign_quiz(quiz_id: int):
    """Set the quiz for one of the teacher's classes."""
    quiz = quiz_for(quiz_id, current_user)
    form = AssignForm()
    form.classroom_id.choices = [(c.id, c.name) for c in classes_of(current_user, MemberRole.TEACHER)]
    if form.validate_on_submit():
        from quiz.classes.models import Classroom

        classroom = db.session.get(Classroom, form.classroom_id.data)
        try:
            assign(quiz, current_user, classroom, to_utc(form.opens_at.data), to_utc(form.closes_at.data))
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash(f"Assigned to {classroom.name}.", "success")
    else:
        _flash_errors(form)
    return redirect(url_for("quizzes.show", quiz_id=quiz.id))


@bp.post("/<int:quiz_id>/assignments/<int:assignment_id>/remove")
@teacher_required
def unassign_quiz(quiz_id: int, assignment_id: int):
    """Withdraw the quiz from a class nobody has started it in."""
    quiz = quiz_for(quiz_id, current_user)
    assignment = next((a for a in quiz.assignments if a.id == assignment_id), None)
    if assignment is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            unassign(assignment)
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash("The quiz is no longer set for that class.", "info")
    return redirect(url_for("quizzes.show", quiz_id=quiz.id))


# --------------------------------------------------------------------------- an assignment


@bp.get("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int):
    """Students: the quiz's start page. Teachers of the class: every student's attempts and extra time."""
    assignment, teaching = assignment_for(assignment_id, current_user)
    now = clock.now()
    if not teaching:
        return render_template("quizzes/start.html", assignment=assignment, quiz=assignment.quiz,
                               info=state(assignment, current_user, now), form=EmptyForm(), now=now)
    students = roster(assignment.classroom, MemberRole.STUDENT)
    rows = [{"student": m.user, **state(assignment, m.user, now),
             "extra": accommodation_of(assignment, m.user_id)} for m in students]
    form = AccommodationForm()
    form.student_id.choices = [(m.user_id, m.user.display_name) for m in students]
    return render_template("quizzes/results.html", assignment=assignment, quiz=assignment.quiz, rows=rows,
                           form=form, now=now)


@bp.post("/assignments/<int:assignment_id>/accommodations")
@teacher_required
def accommodate(assignment_id: int):
    """Give a student extra time or attempts."""
    assignment, teaching = assignment_for(assignment_id, current_user)
    if not teaching:
        abort(403)
    form = AccommodationForm()
    form.student_id.choices = [(m.user_id, m.user.display_name)
                               for m in roster(assignment.classroom, MemberRole.STUDENT)]
    if form.validate_on_submit():
        student = set_accommodation(assignment, form.student_id.data, form.extra_minutes.data or 0,
                                    form.extra_attempts.data or 0)
        flash(f"Saved the arrangements for {student.display_name}. They apply to attempts started from now.",
              "success")
    else:
        _flash_errors(form)
    return redirect(url_for("quizzes.assignment", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/start")
@student_required
@conditional_writes
def start(assignment_id: int):
    """Start the quiz, or go back to the attempt already under way."""
    assignment, _ = assignment_for(assignment_id, current_user)
    if EmptyForm().validate_on_submit():
        try:
            attempt = start_attempt(assignment, current_user)
        except QuizError as error:
            flash(str(error), "error")
            return redirect(url_for("quizzes.assignment", assignment_id=assignment.id))
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    return redirect(url_for("quizzes.assignment", assignment_id=assignment.id))


# --------------------------------------------------------------------------- taking


def _own_open_attempt(attempt_id: int, with_slots: bool = True) -> Attempt:
    attempt, teaching = attempt_for(attempt_id, current_user, with_slots=with_slots)
    if teaching:
        abort(403)
    return attempt


@bp.get("/attempts/<int:attempt_id>")
@student_required
def take(attempt_id: int):
    """A page of the attempt, with what was saved filled in and the time left."""
    attempt = _own_open_attempt(attempt_id, with_slots=False)
    now = clock.now()
    refresh(attempt, now)
    if attempt.finished:
        flash("This attempt is finished." if attempt.finish_reason == "submitted"
              else "Time was up, so your attempt was submitted with the answers you had saved.", "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    slots, page, pages = page_of(attempt, request.args.get("page", 0, type=int))
    return render_template("quizzes/take.html", attempt=attempt, quiz=attempt.assignment.quiz, slots=slots,
                           page=page, pages=pages, seconds_left=attempt.seconds_left(now))


@bp.post("/attempts/<int:attempt_id>")
@student_required
def save_page(attempt_id: int):
    """Save every answer on the page (the way it works without JavaScript), then move as asked."""
    attempt = _own_open_attempt(attempt_id)
    page = request.form.get("page", 0, type=int)
    slots = [s for s in attempt.slots if s.page == page]
    try:
        responses = {slot.id: read_response(slot.plain, request.form, f"s{slot.id}", slot.display)
                     for slot in slots}
        save_answers(attempt, responses)
    except AttemptClosed as error:
        flash(str(error), "error")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id)), 303
    except QuizError as error:
        db.session.rollback()
        flash(f"Nothing on this page was saved: {error}", "error")
        return redirect(url_for("quizzes.take", attempt_id=attempt.id, page=page)), 303
    action = request.form.get("go", "")
    if action == "finish":
        return redirect(url_for("quizzes.confirm", attempt_id=attempt.id), 303)
    target = page + (1 if action == "next" else -1 if action == "previous" else 0)
    if action.isdigit():
        target = int(action)
    flash("Your answers are saved.", "success")
    return redirect(url_for("quizzes.take", attempt_id=attempt.id, page=max(0, target)), 303)


@bp.post("/attempts/<int:attempt_id>/slots/<int:slot_id>")
@student_required
@conditional_writes
def autosave(attempt_id: int, slot_id: int):
    """Save one answer as soon as it is given (JavaScript); answers JSON."""
    attempt = _own_open_attempt(attempt_id, with_slots=False)
    now = clock.now()
    seconds_left = attempt.seconds_left(now)  # read before the commit expires the attempt (no reload after)
    try:
        slot = slot_of(attempt, slot_id)
        response = read_response(slot.plain, request.form, f"s{slot.id}", slot.display)
        save_answer(attempt, slot.id, response, now)
    except AttemptClosed as error:
        return jsonify(saved=False, closed=True, message=str(error),
                       review=url_for("quizzes.review", attempt_id=attempt_id)), 409
    except QuizError as error:
        db.session.rollback()
        return jsonify(saved=False, message=str(error)), 422
    return jsonify(saved=True, saved_at=now.isoformat(), seconds_left=seconds_left)


@bp.get("/attempts/<int:attempt_id>/finish")
@student_required
def confirm(attempt_id: int):
    """A last look before submitting: which questions are still unanswered."""
    attempt = _own_open_attempt(attempt_id)
    now = clock.now()
    refresh(attempt, now)
    if attempt.finished:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return render_template("quizzes/confirm.html", attempt=attempt, quiz=attempt.assignment.quiz,
                           seconds_left=attempt.seconds_left(now), form=EmptyForm())


@bp.post("/attempts/<int:attempt_id>/submit")
@student_required
@conditional_writes
def submit_attempt(attempt_id: int):
    """Submit the attempt for grading; submitting twice changes nothing."""
    attempt = _own_open_attempt(attempt_id, with_slots=False)
    if EmptyForm().validate_on_submit():
        if submit(attempt):
            flash("Your attempt has been submitted.", "success")
        elif attempt.finish_reason == "submitted":
            flash("This attempt was already submitted.", "info")
        else:
            flash("Time was up, so your attempt was submitted with the answers you had saved.", "info")
    return redirect(url_for("quizzes.review", attempt_id=attempt_id), 303)


# --------------------------------------------------------------------------- review


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """The finished attempt, showing what the quiz's review options allow."""
    attempt, teaching = attempt_for(attempt_id, current_user)
    now = clock.now()
    refresh(attempt, now)
    if not attempt.finished and not teaching:
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    options = review_options(attempt, teaching, now)
    quiz = attempt.assignment.quiz
    rubrics, rubric, rubric_form = [], None, None
    if teaching and any(slot.snapshot.get("type") == "essay" for slot in attempt.slots):
        from quiz.essays.forms import rubric_grade_form
        from quiz.essays.services import rubrics_of, standard_rubric

        rubrics = rubrics_of(current_user) or [standard_rubric(current_user)]
        rubric = next((r for r in rubrics if r.id == request.args.get("rubric", type=int)), rubrics[0])
        rubric_form = rubric_grade_form(rubric)
    return render_template("quizzes/review.html", attempt=attempt, quiz=quiz, options=options, teaching=teaching,
                           grade_form=ManualGradeForm(), sources=_cited_sources(attempt), rubrics=rubrics,
                           rubric=rubric, rubric_form=rubric_form)


def _cited_sources(attempt: Attempt) -> dict[int, Source]:
    """The readings the attempt's questions cite, by id. The questions come with their passages in one query
    (the page links each answer to its passage), not two lazy loads per answer."""
    question_ids = [slot.question_id for slot in attempt.slots if slot.question_id is not None]
    if not question_ids:
        return {}
    questions = db.session.scalars(
        select(Question).where(Question.id.in_(question_ids)).options(joinedload(Question.passage))).all()
    source_ids = {question.passage.source_id for question in questions if question.passage}
    if not source_ids:
        return {}
    return {source.id: source for source in db.session.scalars(select(Source).where(Source.id.in_(source_ids)))}


@bp.post("/slots/<int:slot_id>/grade")
@teacher_required
def grade_slot(slot_id: int):
    """A teacher marks one answer (an essay, or overrides an automatic mark)."""
    slot = db.get_or_404(AttemptSlot, slot_id)
    attempt, teaching = attempt_for(slot.attempt_id, current_user)
    if not teaching:
        abort(404)
    form = ManualGradeForm()
    if form.validate_on_submit():
        try:
            grade_manually(slot, current_user, float(form.score.data), form.feedback.data or "")
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash("Mark saved.", "success")
    else:
        _flash_errors(form)
    return redirect(url_for("quizzes.review", attempt_id=attempt.id) + f"#slot-{slot.id}")


@bp.post("/slots/<int:slot_id>/rubric/<int:rubric_id>")
@teacher_required
def rubric_grade_slot(slot_id: int, rubric_id: int):
    """A teacher marks an essay answer with one of their rubrics (the essays' grading form)."""
    from quiz.essays.forms import rubric_grade_form
    from quiz.essays.services import rubric_for
    from quiz.quizzes.services import grade_with_rubric

    slot = db.get_or_404(AttemptSlot, slot_id)
    attempt, teaching = attempt_for(slot.attempt_id, current_user)
    if not teaching:
        abort(404)
    rubric = rubric_for(rubric_id, current_user)
    form = rubric_grade_form(rubric)
    if form.validate_on_submit():
        try:
            grade_with_rubric(slot, current_user, rubric, form.scores(), form.comment.data or "")
        except QuizError as error:
            flash(str(error), "error")
        else:
            flash(f"Marked with “{rubric.title}”: {slot.rubric_grade.points}/{slot.rubric_grade.max_points} "
                  f"points, {slot.score:g} of {slot.marks:g} marks.", "success")
    else:
        _flash_errors(form)
    return redirect(url_for("quizzes.review", attempt_id=attempt.id) + f"#slot-{slot.id}")


@bp.get("/readings/<int:source_id>")
@login_required
def reading(source_id: int):
    """A reading, for students whose reviewed questions cite it and for teachers who may read its unit."""
    source = db.get_or_404(Source, source_id)
    allowed = source.unit.readable_by(current_user) if current_user.is_teacher else \
        student_may_read_source(current_user, source.id)
    if not allowed:
        abort(404)
    return render_template("quizzes/reading.html", source=source, mark=request.args.get("mark", type=int))
