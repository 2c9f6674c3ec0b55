"""Debrief JSON: ``{"questions": [question.to_dict(), ...], "stats": {...}}``.

The lossless format: every field of :class:`Question` is written and read back. ``stats`` is
written only when given. Reading checks the shape and the types of every field and the rules of
each question type, and names the place of the first fault as a JSON path
(``questions[3].choices: ...``); a syntax error gives its line. Top-level keys other than
``questions`` and ``stats`` are envelope metadata and are ignored; an unknown key inside a
question is an error, so nothing is silently dropped. Missing optional fields take the
:class:`Question` defaults, and a missing ``id`` is recomputed from the content.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields

from question_bank.formats.errors import FormatError
from question_bank.model import QUESTION_TYPES, Citation, Question

_FIELDS = {f.name for f in fields(Question)}
_TEXT_FIELDS = ("answer", "explanation", "unit", "title", "id")
_LIST_FIELDS = ("choices", "accepted", "items", "tags")
_CITATION_TEXT = ("document", "title", "passage")


def dump(questions: list[Question], stats: dict | None = None) -> str:
    """The questions (and optional stats) as indented UTF-8 JSON text."""
    data: dict = {"questions": [question.to_dict() for question in questions]}
    if stats is not None:
        data["stats"] = stats
    try:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    except (TypeError, ValueError) as error:
        raise FormatError(f"cannot write JSON: {error}") from error


def _fault(path: str, problem: str, expected: str = "") -> FormatError:
    return FormatError(f"{path}: {problem}", path=path, expected=expected)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise _fault(path, f"expected a string, found {_kind(value)}", "a string")
    return value


def _texts(value: object, path: str) -> list[str]:
    if not isinstance(value, list):
        raise _fault(path, f"expected a list of strings, found {_kind(value)}", "a list")
    for index, item in enumerate(value):
        _text(item, f"{path}[{index}]")
    return list(value)


def _real(value: object, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fault(path, f"expected a number, found {_kind(value)}", "a number")
    if not low <= value <= high:
        raise _fault(path, f"expected a number from {low:g} to {high:g}, found {value}",
                     f"{low:g} to {high:g}")
    return float(value)


def _citation(value: object, path: str) -> Citation | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fault(path, f"expected an object or null, found {_kind(value)}", "an object")
    unknown = sorted(set(value) - {"document", "title", "passage", "start", "end"})
    if unknown:
        raise _fault(f"{path}.{unknown[0]}", "unknown field of a citation")
    for key in ("document", "start", "end"):
        if key not in value:
            raise _fault(f"{path}.{key}", "missing", "a value")
    texts = {key: _text(value.get(key, ""), f"{path}.{key}") for key in _CITATION_TEXT}
    span = {}
    for key in ("start", "end"):
        number = value[key]
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise _fault(f"{path}.{key}", f"expected a whole number >= 0, found {number!r}",
                         "a whole number")
        span[key] = number
    if span["end"] < span["start"]:
        raise _fault(f"{path}.end", f"expected end >= start ({span['start']}), found "
                                    f"{span['end']}", "end >= start")
    if not texts["document"].strip():
        raise _fault(f"{path}.document", "expected a document name", "a document name")
    return Citation(**texts, **span)


def _question(value: object, path: str) -> Question:
    if not isinstance(value, dict):
        raise _fault(path, f"expected an object, found {_kind(value)}", "an object")
    unknown = sorted(set(value) - _FIELDS)
    if unknown:
        raise _fault(f"{path}.{unknown[0]}", "unknown field of a question")
    if "type" not in value:
        raise _fault(f"{path}.type", "missing", "a question type")
    kind = _text(value["type"], f"{path}.type")
    if kind not in QUESTION_TYPES:
        raise _fault(f"{path}.type", f"unknown question type {kind!r} (known: "
                                     f"{', '.join(QUESTION_TYPES)})", "a question type")
    if "stem" not in value:
        raise _fault(f"{path}.stem", "missing", "the question text")
    stem = _text(value["stem"], f"{path}.stem")
    if not stem.strip():
        raise _fault(f"{path}.stem", "expected question text, found an empty string",
                     "the question text")

    data: dict = {"type": kind, "stem": stem}
    for key in _TEXT_FIELDS:
        if key in value:
            data[key] = _text(value[key], f"{path}.{key}")
    for key in _LIST_FIELDS:
        if key in value:
            data[key] = _texts(value[key], f"{path}.{key}")
    if "pairs" in value:
        pairs = value["pairs"]
        if not isinstance(pairs, list):
            raise _fault(f"{path}.pairs", f"expected a list of [term, match] pairs, found "
                                          f"{_kind(pairs)}", "a list")
        for index, pair in enumerate(pairs):
            where = f"{path}.pairs[{index}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fault(where, "expected a [term, match] pair of two strings", "a pair")
            _text(pair[0], f"{where}[0]")
            _text(pair[1], f"{where}[1]")
        data["pairs"] = [tuple(pair) for pair in pairs]
    for key, low, high in (("difficulty", 0, 1), ("confidence", 0, 1),
                           ("tolerance", 0, math.inf)):
        if key in value:
            data[key] = _real(value[key], f"{path}.{key}", low, high)
    if "feedback" in value:
        feedback = value["feedback"]
        if not isinstance(feedback, dict):
            raise _fault(f"{path}.feedback", f"expected an object of strings, found "
                                             f"{_kind(feedback)}", "an object")
        for key, note in feedback.items():
            _text(note, f"{path}.feedback[{json.dumps(key, ensure_ascii=False)}]")
        data["feedback"] = dict(feedback)
    if "source" in value:
        data["source"] = _citation(value["source"], f"{path}.source")

    _check_type_rules(data, path)
    return Question(**data)


def _check_type_rules(data: dict, path: str) -> None:
    """What each question type needs to be answerable."""
    kind, answer = data["type"], data.get("answer", "")
    if kind == "multiple_choice":
        choices = data.get("choices", [])
        if len(choices) < 2:
            raise _fault(f"{path}.choices", f"expected at least two choices, found "
                                            f"{len(choices)}", "two or more choices")
        if answer not in choices:
            raise _fault(f"{path}.choices", f"the answer {answer!r} is not among the choices",
                         "the answer among the choices")
    elif kind == "true_false":
        if answer not in ("true", "false"):
            raise _fault(f"{path}.answer", f"expected 'true' or 'false', found {answer!r}",
                         "'true' or 'false'")
    elif kind == "numeric":
        try:
            number = float(answer)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise _fault(f"{path}.answer", f"expected a number written as text, found {answer!r}",
                         "a number")
    elif kind in ("short_answer", "cloze"):
        if not answer.strip():
            raise _fault(f"{path}.answer", "expected the answer text", "the answer")
    elif kind == "matching":
        if not data.get("pairs"):
            raise _fault(f"{path}.pairs", "expected at least one pair", "a pair")
    elif kind == "ordering":
        if len(data.get("items", [])) < 2:
            raise _fault(f"{path}.items", "expected at least two items to put in order",
                         "two or more items")


def load(text: str) -> list[Question]:
    """Read and validate Debrief JSON; raise FormatError naming the first faulty place."""
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"{error.msg} (column {error.colno})", line=error.lineno,
                          expected="valid JSON") from error
    if not isinstance(data, dict):
        raise _fault("(top level)", f'expected an object like {{"questions": [...]}}, found '
                                    f"{_kind(data)}", "an object")
    if "questions" not in data:
        raise _fault("questions", "missing", "a list of questions")
    if not isinstance(data["questions"], list):
        raise _fault("questions", f"expected a list, found {_kind(data['questions'])}", "a list")
    if "stats" in data and data["stats"] is not None and not isinstance(data["stats"], dict):
        raise _fault("stats", f"expected an object, found {_kind(data['stats'])}", "an object")
    return [_question(item, f"questions[{index}]")
            for index, item in enumerate(data["questions"])]


def load_stats(text: str) -> dict | None:
    """The ``stats`` object of a Debrief JSON document, or None when it has none."""
    stats = json.loads(text.removeprefix("\ufeff")).get("stats")
    return stats if isinstance(stats, dict) else None
