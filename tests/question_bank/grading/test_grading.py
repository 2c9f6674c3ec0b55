"""Grading every question type, with normalisation and partial credit."""

from __future__ import annotations

import pytest

from question_bank.grading import (
    QUESTION_CLASSES,
    ResponseError,
    check_response,
    grade,
    normalise_text,
    parse_number,
)
from question_bank.model import QUESTION_TYPES, Question

MCQ = Question(type="multiple_choice", stem="Where was the treaty signed?", answer="Pyongyang",
               choices=["Pyongyang", "Moscow", "Beijing", "Seoul"])
TF = Question(type="true_false", stem="The treaty was signed in 2024.", answer="true")
CLOZE = Question(type="cloze", stem="The treaty was signed in _____.", answer="Pyongyang",
                 accepted=["Pyongyang", "Pyeongyang"])
SHORT = Question(type="short_answer", stem="Which country ratified by decree?", answer="North Korea",
                 accepted=["DPRK"])
NUMERIC = Question(type="numeric", stem="How many troops, up to?", answer="12000", tolerance=500,
                   unit="troops")
MATCHING = Question(type="matching", stem="Match", pairs=[("NATO", "alliance"), ("UNSC", "council"),
                                                           ("ASPI", "institute"), ("KSG", "firm")])
ORDERING = Question(type="ordering", stem="Order", items=["1948", "1961", "2000", "2024"])
ESSAY = Question(type="essay", stem="Discuss.")


def test_every_question_type_is_registered():
    """Each type the bank stores has a grading class."""
    assert set(QUESTION_CLASSES) == set(QUESTION_TYPES)


def test_multiple_choice_and_true_false():
    """Right choice scores all, wrong none."""
    assert grade(MCQ, "Pyongyang").fraction == 1 and grade(MCQ, "Moscow").fraction == 0
    assert grade(TF, "true").correct and not grade(TF, "false").correct


@pytest.mark.parametrize("typed", ["pyongyang", "  Pyongyang. ", "PYEONGYANG", "Pyŏngyang"])
def test_cloze_accepts_case_spacing_punctuation_and_variants(typed):
    """Normalisation forgives case, spacing, punctuation and accents; variants count."""
    assert grade(CLOZE, typed).correct


def test_short_answer_ignores_a_leading_article_and_accepts_variants():
    """"the North Korea", "dprk" are right; "South Korea" is not."""
    assert grade(SHORT, "the north korea").correct
    assert grade(SHORT, "dprk").correct
    assert not grade(SHORT, "South Korea").correct


@pytest.mark.parametrize(("typed", "correct"), [("12000", True), ("12,000", True), ("12 000", True),
                                                ("11600", True), ("12500", True), ("12501", False),
                                                ("up to 12,000", True), ("", False)])
def test_numeric_within_tolerance(typed, correct):
    """Numbers as people type them, within the tolerance."""
    assert grade(NUMERIC, typed).correct is correct


def test_matching_gives_partial_credit():
    """Two of four pairs right earns half."""
    response = {"NATO": "alliance", "UNSC": "council", "ASPI": "firm", "KSG": "institute"}
    assert grade(MATCHING, check_response(MATCHING, response)).fraction == 0.5


def test_ordering_gives_partial_credit_by_relative_order():
    """One swap of neighbours loses one pair of six."""
    assert grade(ORDERING, ["1948", "1961", "2000", "2024"]).fraction == 1
    assert grade(ORDERING, ["1961", "1948", "2000", "2024"]).fraction == pytest.approx(5 / 6)
    assert grade(ORDERING, ["2024", "2000", "1961", "1948"]).fraction == 0


def test_essays_wait_for_a_teacher():
    """An essay is never graded automatically."""
    result = grade(ESSAY, "Sanctions work because...")
    assert result.pending and not result.correct


def test_blank_responses_score_nothing():
    """Not answering is not an error, and scores zero."""
    for question in (MCQ, TF, CLOZE, SHORT, NUMERIC, MATCHING, ORDERING):
        assert grade(question, None).fraction == 0


@pytest.mark.parametrize(("question", "response"), [
    (MCQ, "Tokyo"),                                   # a choice of another question
    (TF, "maybe"),
    (MATCHING, {"NATO": "not a definition"}),
    (MATCHING, {"WHO": "alliance"}),
    (ORDERING, ["1948", "1961", "2000"]),              # an item missing
    (ORDERING, ["1948", "1961", "2000", "2025"]),      # an item of another question
    (NUMERIC, "twelve thousand"),
    (CLOZE, "x" * 2000),
    (CLOZE, ["a list"]),
])
def test_tampered_responses_are_refused(question, response):
    """Responses that cannot belong to the question raise ResponseError."""
    with pytest.raises(ResponseError):
        check_response(question, response)


def test_helpers_normalise_and_parse():
    """The shared helpers behave as documented."""
    assert normalise_text("The  Soviet Union!") == "soviet union"
    assert parse_number("13,000+") == 13000 and parse_number("1.5") == 1.5 and parse_number("x") is None


def test_cloze_refuses_a_different_word():
    """Normalising never makes a wrong answer right."""
    assert not grade(CLOZE, "Seoul").correct and not grade(CLOZE, "Pyongyang city").correct
