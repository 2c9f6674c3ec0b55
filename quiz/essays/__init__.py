"""Essays on prompts, rubrics and rubric grading."""

from flask import Blueprint

bp = Blueprint("essays", __name__)

from quiz.essays import views  # noqa: E402,F401  (registers the routes)
