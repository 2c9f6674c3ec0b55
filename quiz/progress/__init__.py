"""Progress and analytics: a student's progress and mastery; a class's gradebook, item analysis,
topic mastery and study cards for its teachers."""

from flask import Blueprint

bp = Blueprint("progress", __name__)

from quiz.progress import models, views  # noqa: E402,F401  (registers the models and routes)
