"""Question types as a registry: how each type reads a student's response and grades it.

``QUESTION_CLASSES[question.type]`` gives the type's class; ``grade(question, response)`` is the one
call the web app makes. Responses are plain JSON values, as the browser sends them:

==================  ======================================================================
type                response
==================  ======================================================================
multiple_choice     the chosen choice's text
true_false          ``"true"`` or ``"false"``
cloze, short_answer the typed text
numeric             the typed number as text (``12,000`` and ``12000`` both read)
matching            ``{term: chosen definition}``
ordering            the items in the order the student put them
essay               the essay text (graded by a teacher, never here)
==================  ======================================================================

Adding a type touches this module (a class and its row in the registry) and its template.
No Flask here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from itertools import combinations

from question_bank.model import Question

MAX_TEXT_RESPONSE = 1_000
MAX_ESSAY_RESPONSE = 50_000


class ResponseError(ValueError):
    """A response that cannot belong to the question (a tampered form): refuse it, store nothing."""


@dataclass(frozen=True)
class Grade:
    """The result of grading: ``fraction`` of the marks (0 to 1), or ``pending`` for a teacher."""

    fraction: float
    pending: bool = False

    @property
    def correct(self) -> bool:
        return not self.pending and self.fraction >= 0.999


PENDING = Grade(0.0, pending=True)

_ARTICLES = re.compile(r"^(the|a|an)\s+")


def normalise_text(text: str) -> str:
    """Fold case, accents, punctuation, spacing and a leading article, for comparing short answers."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"(?<=\d)[,\s](?=\d{3}\b)", "", text)  # 12,000 and 12 000 -> 12000
    text = re.sub(r"[^\w\s.-]", " ", text)
    text = re.sub(r"(?<!\d)[.-]|[.-](?!\d)", " ", text)
    text = " ".join(text.split())
    return _ARTICLES.sub("", text)


def parse_number(text: str) -> float | None:
    """A number as people type it (``12,000``, ``12 000``, ``1.5``, ``-3``), else None."""
    cleaned = (text or "").strip().replace("\u00a0", " ")
    cleaned = re.sub(r"(?<=\d)[,\s](?=\d{3}(?:\D|$))", "", cleaned)
    cleaned = re.sub(r"^(?:up to|about|around|over|more than|some|roughly|nearly)\s+", "", cleaned,
                     flags=re.IGNORECASE)
    match = re.match(r"^[+-]?\d+(?:[.,]\d+)?", cleaned)
    if not match:
        return None
    value = float(match.group(0).replace(",", "."))
    return value if math.isfinite(value) else None


class QuestionType(ABC):
    """The behaviour every type shares; subclasses override what differs."""

    name = ""
    manual = False

    def check_response(self, question: Question, response):
        """The response in its stored form, or ResponseError if it cannot belong to this question."""
        if not isinstance(response, str):
            raise ResponseError("expected text")
        if len(response) > MAX_TEXT_RESPONSE:
            raise ResponseError(f"answers are limited to {MAX_TEXT_RESPONSE} characters")
        return response.strip()

    @abstractmethod
    def grade(self, question: Question, response) -> Grade:
        """The share of the marks this (checked, non-blank) response earns."""

    def correct_response(self, question: Question):
        """What a perfect response looks like (for review pages)."""
        return question.answer

    def is_blank(self, response) -> bool:
        """True when nothing has been answered yet."""
        return response in (None, "", [], {})


class MultipleChoice(QuestionType):
    name = "multiple_choice"

    def check_response(self, question, response):
        if response not in question.choices:
            raise ResponseError("that choice is not one of this question's")
        return response

    def grade(self, question, response) -> Grade:
        return Grade(1.0 if response == question.answer else 0.0)


class TrueFalse(QuestionType):
    name = "true_false"

    def check_response(self, question, response):
        if response not in ("true", "false"):
            raise ResponseError("answer true or false")
        return response

    def grade(self, question, response) -> Grade:
        return Grade(1.0 if response == question.answer.strip().lower() else 0.0)


class ShortText(QuestionType):
    """Cloze and short answer: the answer or any accepted variant, compared after normalising."""

    def grade(self, question, response) -> Grade:
        given = normalise_text(response or "")
        if not given:
            return Grade(0.0)
        wanted = {normalise_text(text) for text in [question.answer, *question.accepted] if text}
        if given in wanted:
            return Grade(1.0)
        number = parse_number(response)
        if number is not None and any(parse_number(text) == number for text in wanted):
            return Grade(1.0)
        return Grade(0.0)


class Cloze(ShortText):
    name = "cloze"


class ShortAnswer(ShortText):
    name = "short_answer"


class Numeric(QuestionType):
    name = "numeric"

    def check_response(self, question, response):
        response = super().check_response(question, response)
        if response and parse_number(response) is None:
            raise ResponseError("enter a number, such as 12000 or 1.5")
        return response

    def grade(self, question, response) -> Grade:
        given, wanted = parse_number(response or ""), parse_number(question.answer)
        if given is None or wanted is None:
            return Grade(0.0)
        return Grade(1.0 if abs(given - wanted) <= question.tolerance + 1e-9 else 0.0)


class Matching(QuestionType):
    name = "matching"

    def check_response(self, question, response):
        if not isinstance(response, dict):
            raise ResponseError("expected a choice for each term")
        terms = {left for left, _ in question.pairs}
        definitions = {right for _, right in question.pairs}
        cleaned = {}
        for term, chosen in response.items():
            if term not in terms or (chosen and chosen not in definitions):
                raise ResponseError("that pairing is not part of this question")
            if chosen:
                cleaned[term] = chosen
        return cleaned

    def grade(self, question, response) -> Grade:
        """One share of the marks for each pair matched right."""
        if not question.pairs:
            return Grade(0.0)
        response = response or {}
        right = sum(1 for term, definition in question.pairs if response.get(term) == definition)
        return Grade(right / len(question.pairs))

    def correct_response(self, question):
        return dict(question.pairs)


class Ordering(QuestionType):
    name = "ordering"

    def check_response(self, question, response):
        if not isinstance(response, list) or sorted(response) != sorted(question.items):
            raise ResponseError("put every item of this question in order")
        return response

    def grade(self, question, response) -> Grade:
        """Partial credit: the share of item pairs the student put in the right relative order."""
        items = question.items
        if len(items) < 2 or not response:
            return Grade(1.0 if response == items else 0.0)
        position = {item: index for index, item in enumerate(response)}
        pairs = list(combinations(items, 2))
        right = sum(1 for first, second in pairs if position[first] < position[second])
        return Grade(right / len(pairs))

    def correct_response(self, question):
        return list(question.items)


class Essay(QuestionType):
    name = "essay"
    manual = True

    def check_response(self, question, response):
        if not isinstance(response, str):
            raise ResponseError("expected text")
        if len(response) > MAX_ESSAY_RESPONSE:
            raise ResponseError(f"essays are limited to {MAX_ESSAY_RESPONSE} characters")
        return response

    def grade(self, question, response) -> Grade:
        return PENDING


QUESTION_CLASSES: dict[str, QuestionType] = {
    cls.name: cls() for cls in (MultipleChoice, TrueFalse, Cloze, ShortAnswer, Numeric, Matching, Ordering,
                                Essay)
}


def question_type(question: Question) -> QuestionType:
    """The registry entry for a question's type."""
    return QUESTION_CLASSES[question.type]


def check_response(question: Question, response):
    """The response cleaned for storing; ResponseError if it cannot belong to the question."""
    return question_type(question).check_response(question, response)


def grade(question: Question, response) -> Grade:
    """Grade a response (already checked); a blank response scores nothing, essays wait for a teacher."""
    kind = question_type(question)
    if kind.manual:
        return PENDING
    if kind.is_blank(response):
        return Grade(0.0)
    return kind.grade(question, response)
