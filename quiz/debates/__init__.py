"""Debate prompts, assigning them to classes, and live classroom debates."""

from flask import Blueprint

bp = Blueprint("debates", __name__)

from quiz.debates import views  # noqa: E402,F401  (registers the routes)
