"""The question bank in the web app: units, readings and questions."""

from flask import Blueprint

bp = Blueprint("bank", __name__)

from quiz.bank import authoring, display, review, transfer, views  # noqa: E402,F401  (registers the routes)
