"""Quizzes: teachers build and assign them; students take, submit and review them."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)

from quiz.quizzes import views  # noqa: E402,F401  (registers the routes)
