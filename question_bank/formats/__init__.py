"""Question import and export: Debrief JSON, Moodle GIFT and Aiken.

Every format maps to and from :class:`question_bank.model.Question`. Use the four names below;
the per-format modules (``gift``, ``aiken``, ``jsonfmt``) hold the details and document what
each format can and cannot carry (see also README.md beside this file)::

    text = dumps(questions, "gift")
    questions = loads(text, "gift")          # all or nothing: FormatError on the first fault
    fmt = detect_format("bank.txt", text)     # "gift", "aiken" or "json"

No Flask here: the web app and ``python -m question_bank`` call the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from question_bank.formats import aiken, gift, jsonfmt
from question_bank.formats.errors import FormatError
from question_bank.model import QUESTION_TYPES, Question

__all__ = ["FORMATS", "Format", "FormatError", "detect_format", "dumps", "loads"]


@dataclass(frozen=True)
class Format:
    """One entry of the format table: how to name, recognise, read and write a format."""

    name: str
    label: str
    extensions: tuple[str, ...]
    media_type: str
    writes: frozenset[str]
    """The question types the writer exports (Aiken skips the others)."""
    dump: Callable[[list[Question], dict | None], str]
    load: Callable[[str], list[Question]]


def _dump_aiken(questions: list[Question], stats: dict | None = None) -> str:
    text, skipped = aiken.dump(questions)
    if questions and len(skipped) == len(questions):
        raise FormatError(
            f"none of the {len(questions)} questions can be written as Aiken, which holds only "
            "multiple-choice and true/false questions")
    return text


FORMATS: dict[str, Format] = {
    "json": Format("json", "Debrief JSON", (".json",), "application/json",
                   frozenset(QUESTION_TYPES), jsonfmt.dump, jsonfmt.load),
    "gift": Format("gift", "Moodle GIFT", (".gift", ".txt"), "text/plain",
                   frozenset(QUESTION_TYPES), lambda qs, stats=None: gift.dump(qs), gift.load),
    "aiken": Format("aiken", "Aiken", (".txt",), "text/plain",
                    frozenset({"multiple_choice", "true_false"}), _dump_aiken, aiken.load),
}
"""Every format by name. Adding a format is one module and one row here."""


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise FormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}",
                          expected="a format name") from None


def dumps(questions: list[Question], fmt: str, stats: dict | None = None) -> str:
    """Write questions in a format; ``stats`` goes into JSON only (the others have no place)."""
    return _format(fmt).dump(list(questions), stats)


def loads(text: str, fmt: str) -> list[Question]:
    """Read every question of a text, or raise FormatError and return nothing."""
    return _format(fmt).load(text)


_AIKEN_ANSWER = re.compile(r"^\s*ANSWER:\s*[A-Z]\s*$", re.MULTILINE)
_AIKEN_OPTION = re.compile(r"^\s*[A-Z][.)] \S", re.MULTILINE)
_GIFT_BLOCK = re.compile(r"(?<!\\)\{.*?(?<!\\)\}", re.DOTALL)


def detect_format(filename: str, text: str) -> str:
    """Name the format of an upload: ``.json``/``.gift`` by extension, ``.txt`` by content."""
    extension = PurePath(filename or "").suffix.lower()
    if extension == ".json":
        return "json"
    if extension == ".gift":
        return "gift"
    body = text.removeprefix("\ufeff").lstrip()
    if extension != ".txt" and body.startswith(("{", "[")):
        return "json"
    if _AIKEN_ANSWER.search(body) and _AIKEN_OPTION.search(body) \
            and not _GIFT_BLOCK.search(body):
        return "aiken"
    if _GIFT_BLOCK.search(body) or "$CATEGORY:" in body:
        return "gift"
    raise FormatError(
        f"cannot tell the format of {filename or 'the upload'!r}: name it .json or .gift, or "
        "give GIFT answer blocks in braces or Aiken 'ANSWER: X' lines",
        expected="a .json, .gift or .txt file")
