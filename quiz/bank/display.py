"""Template helpers for the bank: type names, answers marked in passages, the student's view."""

from __future__ import annotations

import random
import re

from markupsafe import Markup, escape

from quiz.bank import bp
from quiz.bank.forms import TYPE_LABELS, difficulty_band


def answer_phrases(question) -> list[str]:
    """The phrases of a question (row or plain) that its cited passage should show marked."""
    data = getattr(question, "data", None)
    if data is None:  # a plain question
        data = {"accepted": question.accepted, "pairs": question.pairs, "items": question.items}
    if question.type == "true_false" or question.type == "essay":
        return []
    if question.type == "matching":
        return [pair[0] for pair in data.get("pairs", [])]
    if question.type == "ordering":
        return list(data.get("items", []))
    return [question.answer, *data.get("accepted", [])]


@bp.app_template_filter("bank_mark")
def mark_phrases(text: str, phrases: list[str]) -> Markup:
    """``text`` escaped, with every occurrence of the phrases (any case) in ``<mark>``."""
    text = text or ""
    wanted = sorted({p.strip() for p in phrases if p and len(p.strip()) > 1}, key=len, reverse=True)
    if not wanted:
        return escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in wanted), flags=re.IGNORECASE)
    out, last = Markup(""), 0
    for match in pattern.finditer(text):
        out += escape(text[last:match.start()]) + Markup("<mark>%s</mark>") % match.group(0)
        last = match.end()
    return out + escape(text[last:])


@bp.app_template_filter("type_label")
def type_label(name: str) -> str:
    """A question type as teachers call it."""
    return TYPE_LABELS.get(name, name.replace("_", " ").capitalize())


@bp.app_template_filter("difficulty_band")
def difficulty_name(value: float) -> str:
    """Easy, medium or hard."""
    return difficulty_band(value or 0.0)


@bp.app_template_filter("bank_phrases")
def phrases_filter(question) -> list[str]:
    """The phrases to mark in the question's passage."""
    return answer_phrases(question)


@bp.app_template_filter("bank_value")
def change_value(value) -> str:
    """A field's value in the history's before/after table."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return " · ".join(" → ".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    return str(value)


@bp.app_template_filter("bank_display_order")
def preview_order(question) -> dict:
    """The order a student would see the question's parts in (stable for the same question)."""
    from quiz.answering import display_order

    return display_order(question, random.Random(question.id), shuffle=True)  # noqa: S311
