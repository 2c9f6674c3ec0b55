"""Self-testing: practice sessions, spaced-repetition reviews and glossary flashcards."""

from flask import Blueprint

bp = Blueprint("practice", __name__)

from quiz.practice import views  # noqa: E402,F401  (registers the routes)
