"""Friendly error pages; any failed request rolls its transaction back."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from quiz.extensions import db, login_manager

MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("You cannot open this page", "It belongs to another class or needs another role."),
    404: ("Page not found", "The page may have moved, or the link may be mistyped."),
    405: ("That action is not allowed here", "Use the buttons and links on the page."),
    413: ("That file is too large", "Readings can be up to 5 MB."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: ("Something went wrong on our side", "The error has been logged. Please try again."),
    503: ("Debrief is briefly unavailable", "The database did not answer. Please try again shortly."),
}


def _wants_json() -> bool:
    accepted = request.accept_mimetypes
    best = accepted.best_match(["application/json", "text/html"])
    return best == "application/json" and accepted[best] > accepted["text/html"]


def render_error(status: int, detail: str | None = None):
    """The error page (or JSON for API clients) for a status code."""
    title, message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    if _wants_json():
        return {"error": title, "message": detail or message}, status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        return render_template("errors/csrf.html", reason=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        detail = error.description if error.code == 429 else None
        return render_error(error.code or 500, detail)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error.orig)
        # The page must not load the user from the database that just failed (that would end in a bare 500).
        g._login_user = login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
