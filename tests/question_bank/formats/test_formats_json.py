"""Debrief JSON: lossless writing, and reading that names the JSON path of each fault."""

from __future__ import annotations

import json

import pytest

from question_bank.formats import FormatError, dumps, jsonfmt, loads
from question_bank.model import Citation, Question


def mc(**changes) -> dict:
    """A valid multiple-choice question as JSON data, with some fields changed."""
    data = Question("multiple_choice", "Which city?", answer="Pyongyang",
                    choices=["Moscow", "Pyongyang"]).to_dict()
    data.update(changes)
    return data


def doc(*questions: dict) -> str:
    """A JSON document holding the given question objects."""
    return json.dumps({"questions": list(questions)})


def test_dump_shape_with_and_without_stats():
    """The document is {"questions": [...]} plus "stats" only when stats are given."""
    question = Question("true_false", "Signed?", answer="true")
    assert json.loads(dumps([question], "json")) == {"questions": [question.to_dict()]}
    with_stats = json.loads(dumps([question], "json", stats={"made": 1}))
    assert with_stats["stats"] == {"made": 1}
    assert jsonfmt.load_stats(dumps([question], "json", stats={"made": 1})) == {"made": 1}


def test_every_field_survives():
    """Difficulty, confidence, id, source passage and the rest come back unchanged."""
    question = Question("numeric", "How many?", answer="12000", tolerance=500, unit="troops",
                        difficulty=0.8, confidence=0.4, id="custom-id", title="Troops",
                        source=Citation("polis.txt", "Polis", "a passage", 3, 40),
                        feedback={"12000": "yes"}, tags=["t"], explanation="why")
    assert loads(dumps([question], "json"), "json") == [question]


def test_minimal_question_takes_defaults_and_recomputes_id():
    """Only type and stem (and the type's own needs) are required."""
    question = loads(doc({"type": "essay", "stem": "Discuss."}), "json")[0]
    assert question == Question("essay", "Discuss.")


def test_pairs_become_tuples_and_bom_is_ignored():
    """Matching pairs read as tuples; a leading byte order mark is skipped."""
    text = "\ufeff" + doc({"type": "matching", "stem": "Match", "pairs": [["a", "b"]]})
    assert loads(text, "json")[0].pairs == [("a", "b")]


@pytest.mark.parametrize("text, where, words", [
    (doc(mc(type="riddle")), "questions[0].type", "unknown question type 'riddle'"),
    (doc(mc(), {"type": "essay"}), "questions[1].stem", "missing"),
    (doc(mc(stem="  ")), "questions[0].stem", "empty"),
    (doc(mc(answer="Beijing")), "questions[0].choices", "not among the choices"),
    (doc(mc(choices=["Pyongyang"], answer="Pyongyang")), "questions[0].choices", "two choices"),
    (doc(mc(), mc(), mc(), mc(choices="Moscow"))[:], "questions[3].choices", "list of strings"),
    (doc(mc(choices=["Moscow", 2])), "questions[0].choices[1]", "expected a string"),
    (doc(mc(colour="red")), "questions[0].colour", "unknown field"),
    (doc(mc(difficulty=1.5)), "questions[0].difficulty", "from 0 to 1"),
    (doc(mc(confidence=True)), "questions[0].confidence", "expected a number"),
    (doc(mc(tolerance=-1)), "questions[0].tolerance", "from 0"),
    (doc(mc(feedback={"Moscow": 3})), 'questions[0].feedback["Moscow"]', "expected a string"),
    (doc(mc(feedback=[])), "questions[0].feedback", "object"),
    (doc(mc(pairs=[["a"]])), "questions[0].pairs[0]", "pair of two strings"),
    (doc(mc(source={"document": "d.txt", "start": 9, "end": 2})), "questions[0].source.end",
     "end >= start"),
    (doc(mc(source={"document": "d.txt", "start": 1})), "questions[0].source.end", "missing"),
    (doc(mc(source={"document": "d.txt", "start": -1, "end": 2})), "questions[0].source.start",
     "whole number"),
    (doc(mc(source="d.txt")), "questions[0].source", "object or null"),
    (doc({"type": "true_false", "stem": "Q", "answer": "yes"}), "questions[0].answer",
     "'true' or 'false'"),
    (doc({"type": "numeric", "stem": "Q", "answer": "many"}), "questions[0].answer", "a number"),
    (doc({"type": "cloze", "stem": "Q _____"}), "questions[0].answer", "answer text"),
    (doc({"type": "matching", "stem": "Q"}), "questions[0].pairs", "at least one pair"),
    (doc({"type": "ordering", "stem": "Q", "items": ["one"]}), "questions[0].items", "two items"),
    (doc("not an object"), "questions[0]", "expected an object"),
    (json.dumps({"questions": {}}), "questions", "expected a list"),
    (json.dumps({"items": []}), "questions", "missing"),
    (json.dumps([mc()]), "(top level)", "expected an object"),
    (json.dumps({"questions": [], "stats": [1]}), "stats", "expected an object"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 30 else None)
def test_invalid_documents_name_the_path(text: str, where: str, words: str):
    """Each shape or type fault raises FormatError naming the JSON path."""
    with pytest.raises(FormatError) as caught:
        loads(text, "json")
    assert caught.value.path == where
    assert str(caught.value).startswith(f"{where}: ")
    assert words in caught.value.message
    assert caught.value.line is None


def test_syntax_error_names_the_line():
    """Broken JSON syntax is reported with its line number."""
    with pytest.raises(FormatError) as caught:
        loads('{\n  "questions": [\n    {"type": "essay",, "stem": "x"}\n  ]\n}', "json")
    assert caught.value.line == 3


def test_unknown_top_level_keys_are_envelope_metadata():
    """Extra top-level keys (such as a unit name) are ignored, questions still read."""
    text = json.dumps({"unit": "treaty", "questions": [mc()]})
    assert loads(text, "json")[0].answer == "Pyongyang"


def test_unserialisable_stats_raise_format_error():
    """Stats that JSON cannot hold raise FormatError rather than TypeError."""
    with pytest.raises(FormatError):
        dumps([], "json", stats={"when": object()})
