"""Aiken: Moodle's plain multiple-choice format.

A question is its text, then one option per line (a capital letter, ``.`` or ``)``, a space,
the option text), then ``ANSWER: X`` naming one of those letters. Questions are separated by
one or more blank lines.

Reading is strict, as Moodle's rules are: options must be single capital letters, no letter may
repeat, at least two options are needed, the ANSWER line is required and its letter must be one
of the options. A blank line inside an unfinished question is an error, since it usually means
the ANSWER line was forgotten. The question text may run over several lines (joined with line
breaks); each line is trimmed.

Writing exports ``multiple_choice`` questions, and ``true_false`` ones as a two-option choice
``True``/``False`` (so they come back as multiple choice). Everything else is skipped:
:func:`dump` returns the skipped questions beside the text, and ``formats.dumps`` raises
:class:`FormatError` when nothing at all could be written. A multiple-choice question is also
skipped when Aiken cannot hold it: more than 26 choices, an empty choice, a choice with a line
break, or a stem line that reads as an option or ANSWER line (or a blank line in the stem).

Aiken carries only the stem, the choices and the answer: explanation, feedback, title, tags,
source, difficulty and confidence are not written.
"""

from __future__ import annotations

import re
import string

from question_bank.formats.errors import FormatError
from question_bank.model import Question

_OPTION = re.compile(r"([A-Z])[.)] (.*)")
_OPTION_LIKE = re.compile(r"[A-Za-z][.)](?:\s|$)")
_BARE_OPTION = re.compile(r"[A-Z][.)]")
_ANSWER = re.compile(r"ANSWER:(.*)")
LETTERS = string.ascii_uppercase


def load(text: str) -> list[Question]:
    """Read every question of an Aiken file; raise FormatError with its line on the first fault."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    stem: list[str] = []
    options: dict[str, str] = {}
    started = 0
    lines = text.split("\n")
    while lines and not lines[-1].strip():  # blank lines at the end close nothing
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            if stem:
                what = "'ANSWER: X'" if options else "options like 'A. text' and 'ANSWER: X'"
                raise FormatError(
                    f"expected {what} before the blank line, to finish the question that "
                    f"starts on line {started}", line=number, expected="'ANSWER: X'")
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.fullmatch(line)
        if answer:
            if not stem:
                raise FormatError("expected question text before 'ANSWER:'", line=number,
                                  expected="question text")
            if not options:
                raise FormatError("expected options like 'A. text' before 'ANSWER:'",
                                  line=number, expected="an option line")
            if len(options) < 2:
                raise FormatError("expected at least two options before 'ANSWER:'",
                                  line=number, expected="another option")
            letter = answer.group(1).strip()
            if not re.fullmatch(r"[A-Z]", letter):
                raise FormatError(
                    f"expected a single capital option letter after 'ANSWER:', found '{letter}'",
                    line=number, expected="an option letter")
            if letter not in options:
                raise FormatError(
                    f"answer letter '{letter}' is not among the options "
                    f"({', '.join(options)})", line=number, expected="one of the option letters")
            choices = list(options.values())
            questions.append(Question(type="multiple_choice", stem="\n".join(stem),
                                      answer=options[letter], choices=choices))
            stem, options, started = [], {}, 0
        elif (option or _BARE_OPTION.fullmatch(line)) and stem:
            letter, body = line[0], line[3:].strip()
            if not body:
                raise FormatError(f"expected option text after '{line[:2]}'",
                                  line=number, expected="option text")
            if letter in options:
                raise FormatError(f"option letter '{letter}' appears twice in this question",
                                  line=number, expected="a new option letter")
            options[letter] = body
        elif options:
            if _OPTION_LIKE.match(line):
                raise FormatError(
                    "expected an option as one capital letter, '.' or ')', a space, then its "
                    f"text; found '{line}'", line=number, expected="an option line")
            raise FormatError(
                f"expected another option or 'ANSWER: X' (the question starts on line "
                f"{started}); found '{line}'", line=number, expected="'ANSWER: X'")
        else:
            if not stem:
                started = number
            stem.append(line)
    if stem:
        raise FormatError(
            f"expected 'ANSWER: X' to finish the question that starts on line {started}",
            line=len(lines), expected="'ANSWER: X'")
    return questions


def _exportable(question: Question) -> tuple[str, list[str], str] | None:
    """(stem, choices, answer letter) when Aiken can hold the question, else None."""
    if question.type == "true_false":
        if question.answer not in ("true", "false"):
            return None
        choices, answer = ["True", "False"], question.answer.capitalize()
    elif question.type == "multiple_choice":
        choices, answer = [c.strip() for c in question.choices], question.answer.strip()
    else:
        return None
    if not 2 <= len(choices) <= len(LETTERS) or answer not in choices:
        return None
    if any(not c or "\n" in c or "\r" in c for c in choices):
        return None
    lines = [line.strip() for line in question.stem.strip().splitlines()]
    if not lines or any(not line or _OPTION_LIKE.match(line) or line.startswith("ANSWER:")
                        for line in lines):
        return None
    return "\n".join(lines), choices, LETTERS[choices.index(answer)]


def dump(questions: list[Question]) -> tuple[str, list[Question]]:
    """Write the questions Aiken can hold; return the text and the questions skipped."""
    blocks: list[str] = []
    skipped: list[Question] = []
    for question in questions:
        parts = _exportable(question)
        if parts is None:
            skipped.append(question)
            continue
        stem, choices, letter = parts
        options = [f"{LETTERS[i]}. {choice}" for i, choice in enumerate(choices)]
        blocks.append("\n".join([stem, *options, f"ANSWER: {letter}"]) + "\n")
    return "\n".join(blocks), skipped
