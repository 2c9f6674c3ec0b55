"""The public face: FORMATS, dumps/loads dispatch, detect_format and FormatError."""

from __future__ import annotations

import pickle

import pytest

from question_bank.formats import FORMATS, FormatError, detect_format, dumps, loads
from question_bank.model import Question

GIFT = "Signed in 2024?{T}\n"
AIKEN = "Which city?\nA. Moscow\nB. Pyongyang\nANSWER: B\n"
JSON = '{"questions": []}'


def test_registry_names_and_entries():
    """Three formats, each naming itself and offering a reader and a writer."""
    assert set(FORMATS) == {"json", "gift", "aiken"}
    for name, entry in FORMATS.items():
        assert entry.name == name
        assert callable(entry.dump) and callable(entry.load)
        assert entry.extensions and entry.media_type and entry.label


def test_unknown_format_is_a_format_error():
    """Asking for a format that does not exist raises FormatError listing the known ones."""
    with pytest.raises(FormatError, match="expected one of json, gift, aiken"):
        loads("", "qti")
    with pytest.raises(FormatError):
        dumps([], "csv")


def test_format_error_text_and_fields():
    """FormatError is a ValueError whose text starts with the line when it has one."""
    error = FormatError("expected '}' to close the answer block opened on line 9", line=12,
                        expected="'}'")
    assert isinstance(error, ValueError)
    assert str(error) == "line 12: expected '}' to close the answer block opened on line 9"
    assert (error.line, error.expected) == (12, "'}'")
    assert str(FormatError("questions[3].choices: bad")) == "questions[3].choices: bad"


def test_format_error_survives_pickling():
    """Errors keep their fields when passed between processes."""
    error = pickle.loads(pickle.dumps(FormatError("bad", line=3, expected="x", path="p")))  # noqa: S301
    assert (str(error), error.line, error.expected, error.path) == ("line 3: bad", 3, "x", "p")


def test_dumps_accepts_any_iterable_of_questions():
    """A tuple of questions writes like a list."""
    question = Question("true_false", "Signed?", answer="true")
    assert dumps((question,), "gift") == dumps([question], "gift")


@pytest.mark.parametrize("filename, text, fmt", [
    ("bank.json", GIFT, "json"),
    ("bank.GIFT", AIKEN, "gift"),
    ("bank.txt", GIFT, "gift"),
    ("bank.txt", AIKEN, "aiken"),
    ("export.txt", "$CATEGORY: a\n\nQ?{=x}\n", "gift"),
    ("upload", JSON, "json"),
    ("upload.md", "\ufeff  " + JSON, "json"),
    ("", GIFT, "gift"),
    ("questions", AIKEN, "aiken"),
    ("bank.txt", "Has \\{braces\\} escaped?{=yes}\n", "gift"),
], ids=["json-ext", "gift-ext", "txt-gift", "txt-aiken", "txt-category", "noext-json",
        "md-json-bom", "no-name-gift", "noext-aiken", "escaped-braces"])
def test_detect_format(filename: str, text: str, fmt: str):
    """Extensions decide .json and .gift; .txt and unknown names go by content."""
    assert detect_format(filename, text) == fmt


def test_detect_format_gives_up_clearly():
    """Plain prose with no format markers raises FormatError naming the file."""
    with pytest.raises(FormatError, match="notes.txt"):
        detect_format("notes.txt", "Just some notes about the treaty.\n")


def test_detected_format_reads():
    """What detect_format names can be read with loads."""
    for name, text in (("a.txt", GIFT), ("b.txt", AIKEN), ("c", JSON)):
        assert isinstance(loads(text, detect_format(name, text)), list)
