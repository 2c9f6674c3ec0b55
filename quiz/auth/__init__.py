"""Accounts: sign up, log in and out, profile and password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from quiz.auth import views  # noqa: E402,F401  (registers the routes)
