"""Reading answers back from forms, and the order questions' parts are shown in."""

from __future__ import annotations

import random

import pytest
from werkzeug.datastructures import MultiDict

from question_bank.grading import ResponseError
from question_bank.model import Question
from quiz.answering import display_order, positions_of, response_from_form

MATCHING = Question(type="matching", stem="Match", pairs=[("NATO", "alliance"), ("UNSC", "council")])
ORDERING = Question(type="ordering", stem="Order", items=["1948", "1961", "2000", "2024"])
MCQ = Question(type="multiple_choice", stem="Where?", answer="Pyongyang",
               choices=["Pyongyang", "Moscow", "Beijing", "Seoul"])


def test_shuffled_choices_keep_every_choice():
    """Shuffling changes the order, never the set; the same seed gives the same order."""
    first = display_order(MCQ, random.Random(3), shuffle=True)["choices"]
    assert sorted(first) == sorted(MCQ.choices)
    assert display_order(MCQ, random.Random(3), shuffle=True)["choices"] == first
    assert display_order(MCQ, random.Random(3), shuffle=False)["choices"] == MCQ.choices


def test_ordering_items_are_never_shown_in_the_answer_order():
    """The right order would give the answer away."""
    for seed in range(20):
        assert display_order(ORDERING, random.Random(seed), shuffle=False)["items"] != ORDERING.items


def test_ordering_positions_become_the_response_and_back():
    """Positions typed against the shown items give the ordered response, and refill the form."""
    order = {"items": ["2000", "1948", "2024", "1961"]}
    form = MultiDict({"q1-0": "3", "q1-1": "1", "q1-2": "4", "q1-3": "2"})
    response = response_from_form(ORDERING, form, "q1", order)
    assert response == ["1948", "1961", "2000", "2024"]
    assert positions_of(ORDERING, response, order) == ["3", "1", "4", "2"]


def test_ordering_with_repeated_positions_is_refused():
    """Two items in one position cannot be read as an order."""
    with pytest.raises(ResponseError, match="different position"):
        response_from_form(ORDERING, MultiDict({"q-0": "1", "q-1": "1", "q-2": "2", "q-3": "3"}), "q",
                           {"items": ORDERING.items})


def test_matching_reads_each_term_and_refuses_foreign_definitions():
    """Selects map terms to definitions; an invented definition is tampering."""
    form = MultiDict({"m-0": "alliance", "m-1": ""})
    assert response_from_form(MATCHING, form, "m", {}) == {"NATO": "alliance"}
    with pytest.raises(ResponseError):
        response_from_form(MATCHING, MultiDict({"m-0": "a trade bloc"}), "m", {})


def test_blank_answers_read_as_none():
    """Nothing chosen is not an error."""
    assert response_from_form(MCQ, MultiDict(), "x", {}) is None
    assert response_from_form(ORDERING, MultiDict(), "x", {"items": ORDERING.items}) is None
