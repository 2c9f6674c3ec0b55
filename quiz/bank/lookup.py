"""Fetching bank rows for a view: 404 for what the teacher may not know of, 403 for what they may
read but not change (the shipped units)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from question_bank.models import Question, Source, Unit
from quiz.extensions import db


def readable_unit(unit_id: int) -> Unit:
    """The unit if the current teacher may read it (their own or a shipped one), else 404."""
    unit = db.get_or_404(Unit, unit_id)
    if not unit.readable_by(current_user):
        abort(404)
    return unit


def editable_unit(unit_id: int) -> Unit:
    """The unit if it is the current teacher's own; 403 for a shipped one, 404 for another's."""
    unit = readable_unit(unit_id)
    if not unit.editable_by(current_user):
        abort(403)
    return unit


def readable_source(source_id: int) -> Source:
    """A source of a unit the teacher may read, else 404."""
    source = db.get_or_404(Source, source_id)
    if not source.unit.readable_by(current_user):
        abort(404)
    return source


def editable_source(source_id: int) -> Source:
    """A source of the teacher's own unit; 403 for a shipped one, 404 for another's."""
    source = readable_source(source_id)
    if not source.unit.editable_by(current_user):
        abort(403)
    return source


def readable_question(question_id: int) -> Question:
    """A question of a unit the teacher may read, else 404."""
    question = db.get_or_404(Question, question_id)
    if not question.unit.readable_by(current_user):
        abort(404)
    return question


def editable_question(question_id: int) -> Question:
    """A question of the teacher's own unit; 403 for a shipped one, 404 for another teacher's."""
    question = readable_question(question_id)
    if not question.unit.editable_by(current_user):
        abort(403)
    return question
