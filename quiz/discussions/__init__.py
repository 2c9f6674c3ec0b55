"""Evidence-based discussion threads: posts, citations, votes, moderation and targets."""

from flask import Blueprint

bp = Blueprint("discussions", __name__)

from quiz.discussions import views  # noqa: E402,F401  (registers the routes)
