"""The generator on the five real articles and the shipped unit (skipped without the articles)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from question_bank.generation import GENERATED_TYPES, NEAR_DUPLICATE, generate_with_unit
from question_bank.readings import read_document
from question_bank.units import load_unit

REPO = Path(__file__).resolve().parents[3]
UNIT = REPO / "question_bank" / "units" / "russia-dprk-treaty"

pytestmark = pytest.mark.material


@pytest.fixture(scope="module")
def result_and_documents():
    """Generate once from the five articles plus the unit's notes, glossary and timeline."""
    folder = Path(os.environ.get("DEBRIEF_MATERIAL", REPO.parent / "shared" / "material"))
    if not folder.is_dir():
        pytest.skip(f"background articles not found at {folder} (set DEBRIEF_MATERIAL)")
    readings = [read_document(p.read_bytes(), p.name) for p in sorted(folder.glob("*.txt"))]
    unit = load_unit(UNIT)
    result = generate_with_unit(readings, unit)
    documents = {d.name: d for d in [*readings, *unit.documents()]}
    return result, documents


def test_enough_questions_of_every_type(result_and_documents):
    """At least 150 questions, and all seven generated types among them."""
    result, _ = result_and_documents
    assert len(result.questions) >= 150
    assert {q.type for q in result.questions} == set(GENERATED_TYPES)


def test_every_citation_is_verbatim_and_holds_the_answer(result_and_documents):
    """Each cited passage is the exact slice of its document and contains the answer."""
    result, documents = result_and_documents
    for q in result.questions:
        doc = documents[q.source.document]
        assert doc.text[q.source.start:q.source.end] == q.source.passage
        if q.type in ("cloze", "short_answer", "multiple_choice"):
            assert q.answer in q.source.passage, q.stem
        elif q.type == "true_false" and q.answer == "true":
            statement = q.stem.removeprefix("True or false: ")
            assert statement in q.source.passage or statement.split(" ", 1)[1] in \
                q.source.passage
        elif q.type == "numeric":
            assert q.accepted[0] in q.source.passage


def test_multiple_choice_choices_are_distinct_and_filled(result_and_documents):
    """No multiple-choice question has an empty or repeated choice."""
    result, _ = result_and_documents
    for q in result.questions:
        if q.type == "multiple_choice":
            assert len(q.choices) == 4 and all(c.strip() for c in q.choices)
            assert len({c.casefold() for c in q.choices}) == 4
            assert q.answer in q.choices


def test_few_near_duplicate_stems(result_and_documents):
    """Under 5% of stems are near-duplicates (token_set_ratio >= 90) of another stem."""
    result, _ = result_and_documents
    stems = [q.stem for q in result.questions]
    dupes = {i for i, a in enumerate(stems) for j, b in enumerate(stems)
             if i != j and fuzz.token_set_ratio(a, b) >= NEAR_DUPLICATE}
    assert len(dupes) / len(stems) < 0.05


def test_no_false_statement_is_made_with_not(result_and_documents):
    """False true/false items never gain a "not" their source sentence lacks."""
    result, _ = result_and_documents
    for q in result.questions:
        if q.type == "true_false" and q.answer == "false":
            statement = q.stem.removeprefix("True or false: ")
            nots = len(re.findall(r"\bnot\b", statement))
            assert nots <= len(re.findall(r"\bnot\b", q.source.passage))
