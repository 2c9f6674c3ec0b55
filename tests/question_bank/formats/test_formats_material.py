"""Real article text as question content: GIFT escaping and JSON must carry it unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from question_bank.formats import dumps, loads
from question_bank.model import Citation, Question

REPO_ROOT = Path(__file__).resolve().parents[3]
MATERIAL = Path(os.environ.get("DEBRIEF_MATERIAL") or REPO_ROOT.parent / "shared" / "material")

pytestmark = pytest.mark.material


def articles() -> list[Path]:
    """The article files, or a skip when the material folder is not beside the repository."""
    if not MATERIAL.is_dir():
        pytest.skip(f"background material not found at {MATERIAL} (set DEBRIEF_MATERIAL)")
    found = sorted(MATERIAL.glob("*.txt"))
    if not found:
        pytest.skip(f"no .txt articles in {MATERIAL}")
    return found


def paragraphs(path: Path) -> list[tuple[str, int, int]]:
    """Non-blank paragraphs of an article with their character spans, read at run time."""
    text = path.read_text(encoding="utf-8")
    spans, start = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            spans.append((block.strip(), start, start + len(block)))
        start += len(block) + 2
    return spans


def test_article_paragraphs_survive_gift_and_json():
    """Every paragraph of every article, used as stem, choice and explanation, comes back."""
    questions = []
    for path in articles():
        for number, (text, start, end) in enumerate(paragraphs(path)):
            source = Citation(path.name, path.stem, text, start, end)
            # GIFT trims answers, so the cut-off choices are trimmed here too.
            right, wrong = f"{number}: {text[:60]}".strip(), f"not {text[-60:]}".strip()
            questions.append(Question(
                "multiple_choice", text, answer=right, choices=[right, wrong],
                explanation=text, source=source, tags=[path.stem]))
    assert len(questions) > 50
    back = loads(dumps(questions, "gift"), "gift")
    assert [(q.stem, q.choices, q.answer, q.explanation, q.tags) for q in back] == [
        (q.stem, q.choices, q.answer, q.explanation, q.tags) for q in questions]
    assert [(q.source.document, q.source.start, q.source.end) for q in back] == [
        (q.source.document, q.source.start, q.source.end) for q in questions]
    assert loads(dumps(questions, "json"), "json") == questions
