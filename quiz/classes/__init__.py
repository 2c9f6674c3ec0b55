"""Classes: create, join with a code, rosters and co-teachers."""

from flask import Blueprint

bp = Blueprint("classes", __name__)

from quiz.classes import views  # noqa: E402,F401  (registers the routes)
