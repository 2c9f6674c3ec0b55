"""The GIFT corpus in cases/: valid files read as expected, broken ones name their line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from question_bank.formats import FormatError, loads

CASES = Path(__file__).parent / "cases"
VALID = sorted((CASES / "valid").glob("*.gift"))
INVALID = sorted((CASES / "invalid").glob("*.gift"))
HEADER = re.compile(r"// error: line (\d+): (.+)")


def test_corpus_is_present():
    """The corpus holds enough valid and broken files to mean something."""
    assert len(VALID) >= 12
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_reads_as_expected(path: Path):
    """Each valid file gives the questions listed beside it, field by listed field."""
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    questions = loads(path.read_text(encoding="utf-8"), "gift")
    assert len(questions) == len(expected)
    for question, wanted in zip(questions, expected, strict=True):
        got = question.to_dict()
        assert {key: got[key] for key in wanted} == wanted


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_names_the_line(path: Path):
    """Each broken file raises FormatError at the line and with the words its header states."""
    text = path.read_text(encoding="utf-8")
    header = HEADER.fullmatch(text.splitlines()[0])
    assert header, f"{path.name} needs a '// error: line N: words' header"
    with pytest.raises(FormatError) as caught:
        loads(text, "gift")
    assert caught.value.line == int(header.group(1))
    assert header.group(2) in caught.value.message
    assert str(caught.value).startswith(f"line {header.group(1)}: ")
    assert caught.value.expected


def test_crlf_and_bom_read_like_plain_newlines():
    """A Windows file with a UTF-8 byte order mark reads the same as a Unix one."""
    unix = (CASES / "valid" / "multiple_choice.gift").read_text(encoding="utf-8")
    windows = "\ufeff" + unix.replace("\n", "\r\n")
    assert loads(windows, "gift") == loads(unix, "gift")


def test_crlf_errors_keep_their_line_numbers():
    """Line numbers count CRLF line ends once, and a BOM does not shift them."""
    text = "\ufeffFine.{T}\r\n\r\nBroken {=a\r\n~b\r\n"
    with pytest.raises(FormatError) as caught:
        loads(text, "gift")
    assert caught.value.line == 4
    assert "opened on line 3" in caught.value.message


def test_old_mac_line_ends_are_read():
    """Lone carriage returns also end lines."""
    questions = loads("One?{T}\r\rTwo?{F}\r", "gift")
    assert [q.answer for q in questions] == ["true", "false"]


def test_all_or_nothing_on_a_late_fault():
    """A fault in the last question means no question at all comes back."""
    good = (CASES / "valid" / "numeric.gift").read_text(encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        loads(good + "\nBroken?{~a ~b}\n", "gift")
    assert caught.value.line == len(good.splitlines()) + 2


def test_empty_and_comment_only_files_hold_no_questions():
    """Nothing but comments and blank lines reads as an empty bank."""
    assert loads("", "gift") == []
    assert loads("// only a comment\n\n   \n// another\n", "gift") == []
