"""Export then import gives the same questions, for every type in every format that carries it."""

from __future__ import annotations

import pytest

from question_bank.formats import FORMATS, dumps, loads
from question_bank.model import QUESTION_TYPES, Citation, Question

TRICKY = "a ~tilde =equals #hash {braces} colon: \\ back\nand a second line"
SOURCE = Citation("polis-ratification-2024-11-24.txt", "Polis daily briefing", "", 120, 348)


def samples() -> dict[str, list[Question]]:
    """Plain and special-character questions of every Debrief type, keyed by type."""
    return {
        "multiple_choice": [
            Question("multiple_choice", "Which city hosted the summit?", answer="Pyongyang",
                     choices=["Moscow", "Pyongyang", "Beijing"], title="Host city",
                     feedback={"Moscow": "The signing was in the North."},
                     explanation="Putin travelled to Pyongyang.", tags=["treaty/signing"],
                     source=SOURCE),
            Question("multiple_choice", f"Stem with {TRICKY}?", answer=f"right {TRICKY}",
                     choices=[f"wrong {TRICKY}", f"right {TRICKY}", "%50% looks like a weight"],
                     feedback={f"right {TRICKY}": f"fb {TRICKY}"}, explanation=TRICKY,
                     title="title: with {all} ~=#", tags=["x", "y"]),
            Question("multiple_choice", "The treaty was signed in _____ during the visit.",
                     answer="2024", choices=["2023", "2024"]),
            Question("multiple_choice", "The treaty was signed in _____", answer="2024",
                     choices=["2023", "2024"]),
        ],
        "true_false": [
            Question("true_false", "The North ratified the treaty by decree.", answer="true",
                     feedback={"true": "Yes.", "false": "Look at the Polis briefing."}),
            Question("true_false", f"False {TRICKY}", answer="false",
                     feedback={"true": TRICKY}, explanation=TRICKY),
        ],
        "cloze": [
            Question("cloze", "The North ratified the treaty by _____ in November.",
                     answer="decree", accepted=["decree", "a decree"]),
            Question("cloze", f"{TRICKY} _____ {TRICKY}", answer=f"x {TRICKY}",
                     accepted=[f"x {TRICKY}"], feedback={"wrong": TRICKY}),
            Question("cloze", "The agreement it replaced dates from _____", answer="1961",
                     accepted=["1961"]),
        ],
        "numeric": [
            Question("numeric", "How many troops did Polis report?", answer="12000",
                     tolerance=500.0, unit="troops", feedback={"12000": "Yes.", "*": "No."}),
            Question("numeric", f"Negative {TRICKY}?", answer="-2.5", tolerance=0.125,
                     explanation=TRICKY),
            Question("numeric", "Year?", answer="2024"),
        ],
        "matching": [
            Question("matching", "Match each person to their post.",
                     pairs=[("Blinken", "US Secretary of State"),
                            ("Stoltenberg", "NATO Secretary General")]),
            Question("matching", f"Match {TRICKY}", pairs=[(f"t {TRICKY}", f"m -> {TRICKY}"),
                                                           ("ends-", ">starts")],
                     explanation=TRICKY),
        ],
        "ordering": [
            Question("ordering", "Put these in order, earliest first.",
                     items=["the 1961 treaty", "the 2000 agreement", "the 2024 treaty"],
                     source=SOURCE),
            Question("ordering", f"Order {TRICKY}", items=[f"one {TRICKY}", "two -> three"]),
        ],
        "short_answer": [
            Question("short_answer", "Which Russian region did the troops go to?",
                     answer="Kursk", accepted=["Kursk", "Kursk region"],
                     feedback={"Kursk": "Yes.", "Donetsk": "Not in these reports."}),
            Question("short_answer", f"Who {TRICKY}?", answer=f"ans {TRICKY}",
                     accepted=[f"ans {TRICKY}"], unit="people"),
        ],
        "essay": [
            Question("essay", "Is the pact mainly about Ukraine? Argue one side.",
                     explanation="Weigh the troop reports.", tags=["debate"]),
            Question("essay", f"Essay {TRICKY}", title=TRICKY),
        ],
    }


def carried(question: Question, fmt: str) -> dict:
    """The fields a format promises to keep (see the formats README)."""
    data = question.to_dict()
    if fmt == "json":
        return data
    if fmt == "aiken":
        return {key: data[key] for key in ("type", "stem", "answer", "choices")}
    kept = {key: data[key] for key in ("type", "stem", "answer", "choices", "accepted", "pairs",
                                       "items", "tolerance", "unit", "explanation", "tags",
                                       "feedback", "title", "source")}
    if kept["source"] is not None:
        kept["source"] = {**kept["source"], "passage": ""}
    return kept


def kept_fields(questions: list[Question], fmt: str) -> list[dict]:
    """The carried fields of each question."""
    return [carried(question, fmt) for question in questions]


CASES = [(fmt, kind) for fmt in FORMATS for kind in QUESTION_TYPES
         if kind in FORMATS[fmt].writes and not (fmt == "aiken" and kind == "true_false")]


def test_every_type_is_covered():
    """The samples hold every Debrief type, so the round trips cover them all."""
    assert set(samples()) == set(QUESTION_TYPES)


@pytest.mark.parametrize("fmt, kind", CASES, ids=[f"{f}-{k}" for f, k in CASES])
def test_round_trip(fmt: str, kind: str):
    """loads(dumps(questions)) keeps every field the format carries."""
    questions = samples()[kind]
    if fmt == "aiken":
        # Aiken keeps one line per option and stem line: its special characters are only
        # its own line structure, so the tricky text is flattened for it.
        questions = [q for q in questions if "\n" not in q.stem + "".join(q.choices)]
        assert questions
    back = loads(dumps(questions, fmt), fmt)
    assert kept_fields(back, fmt) == kept_fields(questions, fmt)


def test_gift_round_trip_of_the_whole_bank_at_once():
    """All types in one GIFT file, with categories switching, come back in order."""
    questions = [q for group in samples().values() for q in group]
    back = loads(dumps(questions, "gift"), "gift")
    assert kept_fields(back, "gift") == kept_fields(questions, "gift")


def test_true_false_through_aiken_becomes_multiple_choice():
    """Aiken has only multiple choice: true/false comes back as a True/False choice."""
    question = samples()["true_false"][0]
    back = loads(dumps([question], "aiken"), "aiken")[0]
    assert (back.type, back.choices, back.answer) == ("multiple_choice", ["True", "False"], "True")
    assert back.stem == question.stem


def test_json_round_trip_is_exact():
    """JSON keeps every field, including difficulty, confidence, id and passage text."""
    questions = [q for group in samples().values() for q in group]
    for question in questions:
        question.difficulty, question.confidence = 0.3, 0.7
    assert loads(dumps(questions, "json", stats={"n": len(questions)}), "json") == questions
