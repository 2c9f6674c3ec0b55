"""Home, dashboard and health check."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from quiz import clock
from quiz.classes.models import MemberRole
from quiz.classes.services import classes_of, roster
from quiz.extensions import csrf, db, limiter
from quiz.main import bp
from quiz.practice.services import due_count
from quiz.quizzes.services import to_do


@bp.get("/")
def index():
    """What Debrief is, with the way in; logged-in users go to their dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    """The user's starting page: classes for teachers; classes and what is due for students."""
    if current_user.is_teacher:
        classes = classes_of(current_user, MemberRole.TEACHER)
        counts = {c.id: len(roster(c, MemberRole.STUDENT)) for c in classes}
        return render_template("main/teacher_dashboard.html", classes=classes, counts=counts)
    classes = classes_of(current_user, MemberRole.STUDENT)
    rows = [row for row in to_do(current_user) if row["label"] in ("to do", "in progress", "not open yet")]
    return render_template("main/student_dashboard.html", classes=classes, rows=rows,
                           practice_due=due_count(current_user, clock.now()))


@bp.get("/livez")
@limiter.exempt
def livez():
    """Liveness alone: answers without touching the database (a load balancer's cheapest probe)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    """Liveness and database check for load balancers and monitors."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
