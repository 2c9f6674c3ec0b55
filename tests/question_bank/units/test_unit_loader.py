"""The unit loader: minimal units load, broken ones fail with a message naming file and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from question_bank.units import UnitError, human_date, load_unit

UNIT_YAML = """\
slug: tiny-unit
title: A tiny unit
subject: Civics
summary: A unit with only the required files. It exists for tests.
tags: [background]
sources:
  - {id: one, file: one.txt, publisher: P, author: A, date: "2024-06-19", title: T}
"""
NOTES = """\
---
title: Tiny notes
---

## Background
<!-- tags: background -->

First sentence of a paragraph
that wraps onto a second line. [sources: one]

A paragraph without a marker.
"""
GLOSSARY = """\
terms:
  - {term: Veto, definition: A single vote that blocks a decision., sources: [one]}
"""


def write_unit(folder: Path, **files: str) -> Path:
    """Write a minimal unit into ``folder``; keyword arguments replace or add files."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"unit.yaml": UNIT_YAML, "notes.md": NOTES, "glossary.yaml": GLOSSARY, **files}
    for name, text in contents.items():
        if text is not None:
            (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_minimal_unit_loads_without_optional_files(tmp_path: Path):
    """unit.yaml, notes.md and glossary.yaml are enough; the other parts are empty."""
    unit = load_unit(write_unit(tmp_path / "tiny"))
    assert unit.slug == "tiny-unit"
    assert unit.timeline == [] and unit.prompts == [] and unit.topics.entities == []
    assert [doc.name for doc in unit.documents()] == ["notes.md", "glossary.md", "timeline.md"]


def test_wrapped_paragraph_is_joined_and_marker_stripped(tmp_path: Path):
    """Lines of one paragraph join with a space; the marker becomes the passage's sources."""
    notes = load_unit(write_unit(tmp_path / "tiny")).document("notes.md")
    first, second = notes.passages
    assert first.text == "First sentence of a paragraph that wraps onto a second line."
    assert first.sources == ("one",)
    assert second.sources == ()
    assert notes.text.startswith("Background\n\nFirst sentence")
    assert notes.title == "Tiny notes"


def test_missing_required_key_is_reported(unit_copy: Path):
    """A unit.yaml without a title is rejected, naming the file and the key."""
    edit(unit_copy / "unit.yaml", "title: The Russia", "heading: The Russia")
    with pytest.raises(UnitError, match=r"^unit\.yaml: missing required key 'title'$"):
        load_unit(unit_copy)


def test_source_missing_a_key_is_reported(unit_copy: Path):
    """A source entry without a publisher is rejected with its position."""
    edit(unit_copy / "unit.yaml", "    publisher: Polis\n", "")
    with pytest.raises(UnitError, match=r"unit\.yaml: sources\[1\]: missing required key"):
        load_unit(unit_copy)


def test_unknown_source_id_in_notes_is_reported(unit_copy: Path):
    """A notes marker naming a source unit.yaml does not list is rejected."""
    edit(unit_copy / "notes.md", "[sources: insight]", "[sources: insight, bbc]")
    with pytest.raises(UnitError, match=r"notes\.md: section .*unknown source id 'bbc'"):
        load_unit(unit_copy)


def test_unknown_source_id_in_prompt_evidence_is_reported(unit_copy: Path):
    """Prompt evidence must point at a listed source."""
    edit(unit_copy / "prompts.yaml", "      - source: tda\n", "      - source: abc\n")
    with pytest.raises(UnitError, match=r"prompts\.yaml: prompts\[\d+\]: evidence\[\d+\]"):
        load_unit(unit_copy)


def test_bad_timeline_date_is_reported(unit_copy: Path):
    """A date that is not YYYY-MM-DD, YYYY-MM or YYYY is rejected."""
    edit(unit_copy / "timeline.yaml", 'date: "2006"', 'date: "2006-13"')
    with pytest.raises(UnitError, match=r"timeline\.yaml: events\[\d+\]: date '2006-13' is not"):
        load_unit(unit_copy)


def test_impossible_source_date_is_reported(unit_copy: Path):
    """30 February does not parse."""
    edit(unit_copy / "unit.yaml", 'date: "2024-11-24"', 'date: "2024-02-30"')
    with pytest.raises(UnitError, match=r"unit\.yaml: sources\[1\]: date '2024-02-30'"):
        load_unit(unit_copy)


def test_unsorted_timeline_is_reported(unit_copy: Path):
    """Events out of date order are rejected."""
    edit(unit_copy / "timeline.yaml", 'date: "2006"', 'date: "1950"')
    with pytest.raises(UnitError, match=r"timeline\.yaml: .*keep the events in date order"):
        load_unit(unit_copy)


def test_empty_glossary_is_reported(tmp_path: Path):
    """A glossary needs at least one term."""
    folder = write_unit(tmp_path / "tiny", glossary_yaml="terms: []\n")
    with pytest.raises(UnitError, match=r"glossary\.yaml: needs a 'terms' list"):
        load_unit(folder)


def test_missing_notes_file_is_reported(tmp_path: Path):
    """notes.md is required."""
    folder = write_unit(tmp_path / "tiny")
    (folder / "notes.md").unlink()
    with pytest.raises(UnitError, match=r"^notes\.md: file is missing$"):
        load_unit(folder)


def test_unlisted_tag_is_reported(unit_copy: Path):
    """Section tags must be among unit.yaml's tags."""
    edit(unit_copy / "notes.md", "<!-- tags: ratification -->",
         "<!-- tags: ratification, sport -->")
    with pytest.raises(UnitError, match=r"tag 'sport' is not listed in unit\.yaml tags"):
        load_unit(unit_copy)


def test_marker_in_the_middle_of_a_paragraph_is_reported(tmp_path: Path):
    """A [sources: ...] marker must end its paragraph."""
    notes = NOTES.replace("A paragraph without a marker.", "Text [sources: one] more text.")
    with pytest.raises(UnitError, match=r"notes\.md: a \[sources: \.\.\.\] marker must end"):
        load_unit(write_unit(tmp_path / "tiny", notes_md=notes))


def test_conflict_with_unknown_entity_is_reported(unit_copy: Path):
    """Every entity a conflict names must be in the pack."""
    edit(unit_copy / "topics.yaml", "entities: [Soviet Union, China]",
         "entities: [Soviet Union, Chine]")
    with pytest.raises(UnitError, match=r"topics\.yaml: conflicts\[0\] names 'Chine'"):
        load_unit(unit_copy)


def test_bad_stance_is_reported(unit_copy: Path):
    """A prompt position's stance must be for, against or other."""
    edit(unit_copy / "prompts.yaml", "stance: other", "stance: maybe")
    with pytest.raises(UnitError, match=r"stance must be one of for, against, other"):
        load_unit(unit_copy)


def test_invalid_yaml_is_reported(unit_copy: Path):
    """A YAML syntax error names the file."""
    (unit_copy / "glossary.yaml").write_text("terms: [unclosed\n", encoding="utf-8")
    with pytest.raises(UnitError, match=r"^glossary\.yaml: not valid YAML"):
        load_unit(unit_copy)


def test_human_date_formats_partial_dates():
    """Full, month and year dates are written as a reader would."""
    assert human_date("2024-06-19") == "19 June 2024"
    assert human_date("2023-08") == "August 2023"
    assert human_date("1961") == "1961"
