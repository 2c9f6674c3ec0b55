"""Aiken: strict reading with line numbers, and writing multiple choice while skipping the rest."""

from __future__ import annotations

import pytest

from question_bank.formats import FormatError, aiken, dumps, loads
from question_bank.model import Question

VALID = """\
Which city hosted the June 2024 summit?
A. Moscow
B. Pyongyang
C) Beijing
ANSWER: B


How many members did NATO have according to TDA?
A) 30
B) 31
C) 32
D) 33
ANSWER:D
Which body did the USI paper say Russia could shield the North in?
A. the UN Security Council
B. the G20
ANSWER: A
"""


def test_valid_file_reads_every_question():
    """Both option styles, ANSWER with or without a space, and blank-line gaps all read."""
    questions = loads(VALID, "aiken")
    assert [(q.type, q.answer) for q in questions] == [
        ("multiple_choice", "Pyongyang"), ("multiple_choice", "33"),
        ("multiple_choice", "the UN Security Council")]
    assert questions[0].choices == ["Moscow", "Pyongyang", "Beijing"]
    assert questions[0].stem == "Which city hosted the June 2024 summit?"


def test_question_text_may_run_over_lines():
    """Lines before the first option are the stem, joined with line breaks."""
    text = "Read the claim.\nIs it in the treaty?\nA. yes\nB. no\nANSWER: A\n"
    question = loads(text, "aiken")[0]
    assert question.stem == "Read the claim.\nIs it in the treaty?"


def test_crlf_and_bom():
    """Windows line ends and a byte order mark read the same."""
    assert loads("\ufeff" + VALID.replace("\n", "\r\n"), "aiken") == loads(VALID, "aiken")


@pytest.mark.parametrize("text, line, words", [
    ("Q?\nA. one\nB. two\n\n", 3, "expected 'ANSWER: X' to finish the question that starts on "
                                     "line 1"),
    ("Q?\nA. one\nB. two\n\nNext?\nA. x\nB. y\nANSWER: A\n", 4, "before the blank line"),
    ("Q?\nA. one\nB. two\nANSWER: C\n", 4, "answer letter 'C' is not among the options (A, B)"),
    ("Q?\nA. one\nB.\nANSWER: A\n", 3, "expected option text after 'B.'"),
    ("Q?\nA. one\nB)   \nANSWER: A\n", 3, "expected option text after 'B)'"),
    ("Q?\nA. one\nB. two\nANSWER: b\n", 4, "single capital option letter"),
    ("Q?\nA. one\nB. two\nANSWER:\n", 4, "single capital option letter"),
    ("Q?\nA. one\nANSWER: A\n", 3, "at least two options"),
    ("Q?\nANSWER: A\n", 2, "expected options"),
    ("ANSWER: A\n", 1, "expected question text"),
    ("Q?\nA. one\nA. two\nANSWER: A\n", 3, "appears twice"),
    ("Q?\nA. one\nb. two\nANSWER: A\n", 3, "one capital letter"),
    ("Q?\nA. one\nB. two\nmore text\nANSWER: A\n", 4, "expected another option or 'ANSWER: X'"),
    ("Fine?\nA. x\nB. y\nANSWER: A\n\nQ?\nA. one\nB. two\nANSWER: E\n", 9, "'E'"),
], ids=["no-answer-eof", "no-answer-blank", "letter-missing", "empty-option-dot",
        "empty-option-paren", "lowercase-letter", "no-letter", "one-option", "no-options",
        "no-stem", "repeated-letter", "lowercase-option", "stray-text", "late-fault"])
def test_malformed_files_name_the_line(text: str, line: int, words: str):
    """Each broken file raises FormatError at the right line, and nothing is returned."""
    with pytest.raises(FormatError) as caught:
        loads(text, "aiken")
    assert caught.value.line == line
    assert words in caught.value.message


def test_dump_writes_mc_and_true_false_and_skips_the_rest():
    """Multiple choice and true/false are written; other types come back as skipped."""
    mc = Question("multiple_choice", "Which city?", answer="Pyongyang",
                  choices=["Moscow", "Pyongyang"])
    tf = Question("true_false", "Ratified by decree?", answer="true")
    essay = Question("essay", "Discuss the pact.")
    numeric = Question("numeric", "Year?", answer="2024")
    text, skipped = aiken.dump([mc, essay, tf, numeric])
    assert skipped == [essay, numeric]
    assert text == ("Which city?\nA. Moscow\nB. Pyongyang\nANSWER: B\n\n"
                    "Ratified by decree?\nA. True\nB. False\nANSWER: A\n")
    back = loads(text, "aiken")
    assert (back[1].type, back[1].answer, back[1].choices) == ("multiple_choice", "True",
                                                               ["True", "False"])


@pytest.mark.parametrize("question", [
    Question("multiple_choice", "Q", answer="a", choices=["a", "two\nlines"]),
    Question("multiple_choice", "Q", answer="a", choices=["a", " "]),
    Question("multiple_choice", "Q", answer="a", choices=[str(n) for n in range(27)] + ["a"]),
    Question("multiple_choice", "Intro\nA. looks like an option", answer="a", choices=["a", "b"]),
    Question("multiple_choice", "Para one\n\nPara two", answer="a", choices=["a", "b"]),
    Question("multiple_choice", "Q\nANSWER: A", answer="a", choices=["a", "b"]),
], ids=["newline-choice", "empty-choice", "too-many", "option-like-stem", "blank-in-stem",
        "answer-like-stem"])
def test_dump_skips_mc_that_aiken_cannot_hold(question: Question):
    """A multiple-choice question that would read back differently is skipped, not mangled."""
    text, skipped = aiken.dump([question])
    assert (text, skipped) == ("", [question])


def test_dumps_refuses_when_nothing_is_exportable():
    """dumps raises FormatError when every question would be skipped."""
    with pytest.raises(FormatError, match="none of the 2 questions"):
        dumps([Question("essay", "Discuss."), Question("numeric", "Year?", answer="2024")], "aiken")
    assert dumps([], "aiken") == ""
