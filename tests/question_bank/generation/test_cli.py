"""``python -m question_bank generate`` as a teacher or script would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
KEYS = {"id", "type", "stem", "answer", "choices", "accepted", "pairs", "items", "explanation",
        "source", "tags", "difficulty", "confidence"}
SOURCE_KEYS = {"document", "title", "passage", "start", "end"}


def run(*args: str) -> subprocess.CompletedProcess:
    """Run the command from the repository root, capturing its output."""
    return subprocess.run([sys.executable, "-m", "question_bank", *args], cwd=REPO,  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)


def test_generate_prints_json_with_the_contract_keys(tmp_path):
    """JSON output parses and each question carries the documented keys."""
    from tests.question_bank.generation.conftest import RIVER_ARTICLE

    reading = tmp_path / "river.txt"
    reading.write_text(RIVER_ARTICLE, encoding="utf-8")
    done = run("generate", str(reading), "--seed", "1", "--max", "8")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert 0 < len(data["questions"]) <= 8
    assert data["stats"]["kept"] == len(data["questions"])
    for question in data["questions"]:
        assert KEYS <= set(question)
        assert SOURCE_KEYS <= set(question["source"])
        assert question["source"]["document"] == "river.txt"


def test_generate_types_and_other_formats(tmp_path):
    """--types limits the types; --format gift writes GIFT."""
    from tests.question_bank.generation.conftest import RIVER_ARTICLE

    reading = tmp_path / "river.txt"
    reading.write_text(RIVER_ARTICLE, encoding="utf-8")
    done = run("generate", str(reading), "--types", "cloze,numeric")
    assert {q["type"] for q in json.loads(done.stdout)["questions"]} <= {"cloze", "numeric"}
    gift = run("generate", str(reading), "--format", "gift", "--types", "true_false")
    assert gift.returncode == 0 and "{TRUE" in gift.stdout or "{FALSE" in gift.stdout


def test_bad_file_exits_2_with_a_clear_message(tmp_path):
    """An empty or binary file prints a readable error to stderr and exits with status 2."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run("generate", str(empty))
    assert done.returncode == 2
    assert "empty" in done.stderr and done.stdout == ""
    missing = run("generate", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "cannot open" in missing.stderr


def test_help_documents_every_option():
    """--help names every option of generate."""
    done = run("generate", "--help")
    for option in ("--format", "--types", "--max", "--seed", "--unit"):
        assert option in done.stdout
