"""The words rule: the unit's prose is our own, and its locators really point into the articles."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from question_bank.units import Unit, load_unit

pytestmark = pytest.mark.material


def test_quote_hints_are_short_exact_phrases_of_their_article(unit: Unit, articles: dict[str, str]):
    """Every prompt's quote_hint is 4-10 words and occurs verbatim in the named article."""
    for prompt in unit.prompts:
        for ref in prompt.evidence:
            hint = ref["quote_hint"]
            assert 4 <= len(hint.split()) <= 10, (prompt.id, hint)
            assert hint in articles[ref["source"]], (prompt.id, hint)


def test_no_eight_word_run_is_copied_from_the_articles(
    unit: Unit, find_copies: Callable[[Unit], list[str]]
):
    """No 8 consecutive words of any article appear in the unit's prose."""
    assert find_copies(unit) == []


def test_the_check_catches_a_planted_sentence(
    unit_copy: Path, articles: dict[str, str], find_copies: Callable[[Unit], list[str]]
):
    """A sentence copied from an article into the notes is reported, with its section."""
    sentences = re.split(r"(?<=[.!?])\s+", articles["polis"])
    planted = next(s for s in sentences if len(s.split()) > 15 and "\n" not in s)
    notes = unit_copy / "notes.md"
    text = notes.read_text(encoding="utf-8")
    text = text.replace("[sources: polis]", f"{planted} [sources: polis]", 1)
    notes.write_text(text, encoding="utf-8")

    copies = find_copies(load_unit(unit_copy))
    assert copies
    assert all(copy.startswith("notes.md: ") for copy in copies)
