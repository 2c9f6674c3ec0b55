"""The first shipped unit: its counts, notes, documents and passage offsets."""

from __future__ import annotations

import re

from question_bank.units import UNITS_DIR, Unit, shipped_units

REQUIRED_SECTION_TAGS = (
    "background", "summit", "treaty-terms", "ratification", "troops-and-munitions", "reactions",
    "implications", "indo-pacific", "non-proliferation", "sanctions", "china", "economy",
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def test_first_unit_is_shipped():
    """shipped_units() lists the russia-dprk-treaty folder."""
    assert UNITS_DIR / "russia-dprk-treaty" in shipped_units()


def test_unit_metadata(unit: Unit):
    """unit.yaml gives the slug, subject, a short summary and the five sources."""
    assert unit.slug == "russia-dprk-treaty"
    assert unit.subject == "Civics and current affairs"
    assert 2 <= len(SENTENCE_END.split(unit.summary)) <= 3
    assert [s.id for s in unit.sources] == ["ksg", "polis", "insight", "usi", "tda"]
    assert unit.source("polis").date == "2024-11-24"
    assert all(s.file.endswith(".txt") and s.publisher for s in unit.sources)


def test_glossary_has_enough_terms_that_do_not_give_themselves_away(unit: Unit):
    """At least 15 terms; no definition contains its own term or an alias of it."""
    assert len(unit.glossary) >= 15
    for term in unit.glossary:
        definition = term.definition.casefold()
        for name in (term.term, *term.aliases):
            assert name.casefold() not in definition, term.term
        assert len(SENTENCE_END.split(term.definition)) == 1, term.term
        assert term.sources


def test_timeline_has_twenty_sorted_events(unit: Unit):
    """At least 20 events, in date order, each citing a source."""
    dates = [event.date for event in unit.timeline]
    assert len(dates) >= 20
    assert dates == sorted(dates)
    assert all(event.sources for event in unit.timeline)


def test_prompts_cover_sanctions_and_non_proliferation(unit: Unit):
    """At least ten prompts with for/against positions, including the two set questions."""
    assert len(unit.prompts) >= 10
    ids = {prompt.id for prompt in unit.prompts}
    assert {"sanctions-effective", "non-proliferation-alliances"} <= ids
    for prompt in unit.prompts:
        stances = {position["stance"] for position in prompt.positions}
        assert {"for", "against"} <= stances, prompt.id
        assert 2 <= len(SENTENCE_END.split(prompt.framing)) <= 4, prompt.id
        assert prompt.evidence and prompt.tags, prompt.id


def test_notes_have_every_required_section(unit: Unit):
    """Some notes section carries each required topic tag, and the key headings exist."""
    tags = {tag for section in unit.notes for tag in section.tags}
    assert set(REQUIRED_SECTION_TAGS) <= tags
    headings = " | ".join(section.heading.casefold() for section in unit.notes)
    for word in ("background", "summit", "treaty", "ratification", "troops", "reactions"):
        assert word in headings


def test_background_covers_the_key_years(unit: Unit):
    """The background section mentions 1948, 1961, 1991, 2000 and 2006."""
    background = next(s for s in unit.notes if "background" in s.tags)
    text = " ".join(paragraph for paragraph, _ in background.paragraphs)
    for year in ("1948", "1961", "1991", "2000", "2006"):
        assert year in text


def test_every_paragraph_cites_known_sources(unit: Unit):
    """Every notes and disagreements paragraph names at least one source that unit.yaml lists."""
    known = {source.id for source in unit.sources}
    for section in [*unit.notes, *unit.disagreements]:
        for text, ids in section.paragraphs:
            assert ids, text[:60]
            assert set(ids) <= known, text[:60]


def test_notes_paragraphs_are_two_to_five_sentences(unit: Unit):
    """Each paragraph is short enough for a question generator to work from."""
    for section in [*unit.notes, *unit.disagreements]:
        for text, _ in section.paragraphs:
            assert 2 <= len(SENTENCE_END.split(text)) <= 5, text[:60]


def test_notes_length_is_in_range(unit: Unit):
    """The study notes run to roughly 2,500-4,000 words."""
    words = sum(len(text.split()) for section in unit.notes for text, _ in section.paragraphs)
    assert 2500 <= words <= 4000


def test_disagreements_name_the_container_counts(unit: Unit):
    """The disagreements notes set the 11,000 and 13,000 container counts side by side."""
    text = unit.document("disagreements.md").text
    assert "11,000" in text and "13,000" in text
    assert len(unit.disagreements) >= 4


def test_documents_have_exact_passage_offsets(unit: Unit):
    """For every document, doc.text[p.start:p.end] == p.text and indices run from 0."""
    documents = unit.documents()
    assert [d.name for d in documents] == [
        "notes.md", "glossary.md", "timeline.md", "disagreements.md"]
    assert [d.kind for d in documents] == ["notes", "glossary", "timeline", "notes"]
    for doc in documents:
        assert doc.passages, doc.name
        for index, passage in enumerate(doc.passages):
            assert passage.index == index
            assert doc.text[passage.start:passage.end] == passage.text


def test_notes_passages_carry_heading_and_sources_without_marker(unit: Unit):
    """Notes passages keep their section heading and source ids; the marker is stripped."""
    notes = unit.document("notes.md")
    assert "[sources:" not in notes.text
    first = notes.passages[0]
    assert first.heading == unit.notes[0].heading
    assert first.sources == unit.notes[0].paragraphs[0][1]
    assert first.text.endswith(".")


def test_glossary_and_timeline_passages_read_as_sentences(unit: Unit):
    """Glossary passages read 'Term: definition'; timeline passages start with a written date."""
    glossary = unit.document("glossary.md")
    assert glossary.passages[0].text.startswith(f"{unit.glossary[0].term}: ")
    timeline = unit.document("timeline.md")
    signing = [p.text for p in timeline.passages if p.text.startswith("19 June 2024: ")]
    assert any("sign" in text for text in signing)
    assert timeline.passages[0].text.startswith("1948: ")


def test_passage_tags_follow_sections(unit: Unit):
    """A passage in the ratification section carries the ratification tag."""
    notes = unit.document("notes.md")
    ratification = [p for p in notes.passages if p.heading == "Ratification"]
    assert ratification
    assert unit.passage_tags("notes.md", ratification[0].index) == ["ratification"]
    tagged = unit.passages_tagged("ratification")
    assert {doc.name for doc, _ in tagged} >= {"notes.md", "glossary.md", "timeline.md"}
