"""The home page, dashboards and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from quiz.main import views  # noqa: E402,F401  (registers the routes)
