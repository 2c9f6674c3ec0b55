"""Answering a question in a browser: the order things are shown in, and reading the form back.

Quizzes and practice share this. The inputs are drawn by ``templates/_macros/answer.html``; each
question's inputs are named from a ``prefix`` so several questions fit on one page.
"""

from __future__ import annotations

import random

from werkzeug.datastructures import MultiDict

from question_bank.grading import ResponseError, check_response
from question_bank.model import Question


def display_order(question: Question, rng: random.Random, shuffle: bool) -> dict:
    """How the question's parts are shown: choices, definitions and items, shuffled if asked.

    Ordering items are always shuffled (shown in the right order they would give the answer away).
    """
    def mixed(values: list) -> list:
        values = list(values)
        if shuffle:
            rng.shuffle(values)
        return values

    order: dict = {}
    if question.type == "multiple_choice":
        order["choices"] = mixed(question.choices)
    elif question.type == "matching":
        order["definitions"] = mixed(sorted(right for _, right in question.pairs))
    elif question.type == "ordering":
        items = list(question.items)
        for _ in range(5):
            rng.shuffle(items)
            if items != question.items or len(items) < 2:
                break
        order["items"] = items
    return order


def response_from_form(question: Question, form: MultiDict, prefix: str, order: dict):
    """The response the form gives for one question, checked (ResponseError if tampered), or None if blank."""
    if question.type == "matching":
        chosen = {term: form.get(f"{prefix}-{index}", "")
                  for index, (term, _) in enumerate(question.pairs)}
        if not any(chosen.values()):
            return None
        return check_response(question, chosen)
    if question.type == "ordering":
        shown = order.get("items") or question.items
        positions = [form.get(f"{prefix}-{index}", "") for index in range(len(shown))]
        if not any(positions):
            return None
        try:
            numbers = [int(p) for p in positions]
        except ValueError as error:
            raise ResponseError("give every item a position") from error
        if sorted(numbers) != list(range(1, len(shown) + 1)):
            raise ResponseError("give each item a different position, from 1 to " + str(len(shown)))
        ranked = [item for _, item in sorted(zip(numbers, shown, strict=True))]
        return check_response(question, ranked)
    value = form.get(prefix)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_response(question, value)


def positions_of(question: Question, response, order: dict) -> list[str]:
    """For an ordering question: each shown item's chosen position ("" where none), to refill the form."""
    shown = order.get("items") or question.items
    if not isinstance(response, list):
        return [""] * len(shown)
    return [str(response.index(item) + 1) if item in response else "" for item in shown]
