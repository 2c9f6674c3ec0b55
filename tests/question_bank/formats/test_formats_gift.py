"""GIFT reading and writing details beyond the corpus: types, escapes, markers, directives."""

from __future__ import annotations

import pytest

from question_bank.formats import FormatError, dumps, gift, loads
from question_bank.model import Citation, Question


def one(text: str) -> Question:
    """Read a GIFT text that holds exactly one question."""
    questions = loads(text, "gift")
    assert len(questions) == 1
    return questions[0]


def test_lowercase_true_false_is_accepted():
    """{true} and {f} read as true/false, not as unmarked short answers."""
    assert one("Signed in 2024?{true}").answer == "true"
    assert one("Signed in 2023?{f}").answer == "false"


def test_true_false_choices_stay_empty():
    """A true/false question keeps its answer in ``answer`` and has no choices."""
    question = one("Signed in 2024?{T}")
    assert (question.type, question.choices) == ("true_false", [])


def test_missing_word_keeps_spacing_around_the_blank():
    """The blank replaces the braces exactly, so the spaces the author typed stay."""
    assert one("Kim{=Jong Un}'s visit").stem == "Kim_____'s visit"


def test_numeric_with_text_after_is_a_missing_word():
    """Any type may sit mid-sentence; the stem then shows the blank."""
    question = one("The pact was signed in {#2024} in Pyongyang.")
    assert question.type == "numeric"
    assert question.stem == "The pact was signed in _____ in Pyongyang."


def test_numeric_range_midpoint_and_half_width():
    """{#lo..hi} becomes the midpoint with a tolerance of half the width."""
    question = one("Share?{#0.1..0.4}")
    assert float(question.answer) == pytest.approx(0.25)
    assert question.tolerance == pytest.approx(0.15)


def test_numeric_rejects_words_python_would_parse():
    """'nan', 'inf' and '1_000' are not GIFT numbers even though float() takes them."""
    for token in ("nan", "inf", "1_000"):
        with pytest.raises(FormatError, match="expected a number"):
            loads(f"How many?{{#{token}}}", "gift")


def test_html_feedback_entities_and_breaks_become_text():
    """An [html] question's markup is dropped and its line breaks kept as new lines."""
    question = one("[html]First<br>second &lt;b&gt;<script>x()</script>{=a}")
    assert question.stem == "First\nsecond <b>"


def test_unknown_bracket_prefix_is_kept_as_text():
    """Only the four Moodle format names are markers; other brackets are text."""
    assert one("[Map] Which city?{=Pyongyang}").stem == "[Map] Which city?"


def test_category_without_a_path_clears_the_tag():
    """An empty $CATEGORY line ends the category in force."""
    questions = loads("$CATEGORY: a\n\nOne?{T}\n\n$CATEGORY:\n\nTwo?{T}\n", "gift")
    assert [q.tags for q in questions] == [["a"], []]


def test_source_span_must_run_forwards():
    """A source comment whose end comes before its start is an error, not a bad citation."""
    with pytest.raises(FormatError) as caught:
        loads("// source: doc.txt | 50-10\nWhich?{T}\n", "gift")
    assert caught.value.line == 1


def test_writer_escapes_every_special_character():
    """Text with ~ = # { } : \\ and line breaks is written escaped, never raw."""
    question = Question("short_answer", "a~b=c#d{e}f:g\\h\ni", answer="x", accepted=["x"])
    line = [row for row in dumps([question], "gift").splitlines() if row.startswith("a")][0]
    assert line == r"a\~b\=c\#d\{e\}f\:g\\h\ni {=x}"


def test_writer_shields_stems_that_look_like_syntax():
    """Stems starting like a comment, a category or a format marker survive a round trip."""
    stems = ["// not a comment", "$CATEGORY: not a category", "[html] not a marker"]
    questions = [Question("true_false", stem, answer="true") for stem in stems]
    assert [q.stem for q in loads(dumps(questions, "gift"), "gift")] == stems


def test_writer_shields_answers_that_look_like_weights():
    """A choice that starts like '%50%' keeps its text instead of becoming a weight."""
    question = Question("multiple_choice", "Growth?", answer="%50% up", choices=["%50% up", "%20%"])
    assert one(dumps([question], "gift")).choices == ["%50% up", "%20%"]


def test_writer_puts_one_blank_mc_in_place():
    """A multiple-choice stem with one inner blank is written as Moodle's missing-word form."""
    question = Question("multiple_choice", "Signed in _____ by both.", answer="2024",
                        choices=["2023", "2024"])
    text = dumps([question], "gift")
    assert "} by both." in text
    assert one(text).stem == question.stem


def test_writer_marks_ordering_and_cloze_with_comments():
    """Ordering and an end-of-stem cloze carry a '// debrief:' line Moodle ignores."""
    text = dumps([Question("ordering", "Order", items=["a", "b"]),
                  Question("cloze", "Ends in _____", answer="x", accepted=["x"])], "gift")
    assert "// debrief:ordering\nOrder {" in text
    assert "// debrief:cloze\nEnds in _____ {=x}" in text


def test_writer_uses_categories_and_tag_comments():
    """The first tag becomes $CATEGORY; other tag lists go into a comment."""
    questions = [Question("true_false", "One?", answer="true", tags=["treaty"]),
                 Question("true_false", "Two?", answer="true", tags=["treaty"]),
                 Question("true_false", "Three?", answer="true", tags=["treaty", "2024"]),
                 Question("true_false", "Four?", answer="true")]
    text = dumps(questions, "gift")
    assert text.count("$CATEGORY: treaty") == 1
    assert '// debrief:tags ["treaty", "2024"]' in text
    assert "// debrief:tags []" in text
    assert [q.tags for q in loads(text, "gift")] == [q.tags for q in questions]


def test_writer_keeps_citation_but_not_passage():
    """The source comment restores document, span and title; the passage text is not carried."""
    source = Citation("polis.txt", "Polis briefing", "the passage", 10, 90)
    question = one(dumps([Question("true_false", "Ratified?", answer="true", source=source)],
                         "gift"))
    assert question.source == Citation("polis.txt", "Polis briefing", "", 10, 90)


@pytest.mark.parametrize("question, words", [
    (Question("multiple_choice", "Q", answer="z", choices=["a", "b"]), "not among its choices"),
    (Question("multiple_choice", "Q", answer="a", choices=["a"]), "fewer than two choices"),
    (Question("true_false", "Q", answer="yes"), "not 'true' or 'false'"),
    (Question("numeric", "Q", answer="many"), "is not a number"),
    (Question("matching", "Q", pairs=[("a -> b", "c")]), "contains '->'"),
    (Question("short_answer", "Q", answer="a -> b"), "contains '->'"),
    (Question("ordering", "Q", items=[]), "no items"),
], ids=["mc", "mc-one-choice", "tf", "numeric", "matching", "short", "ordering"])
def test_writer_refuses_what_gift_cannot_hold(question: Question, words: str):
    """Questions GIFT cannot carry raise FormatError naming the question, not bad output."""
    with pytest.raises(FormatError, match=words) as caught:
        dumps([Question("essay", "fine"), question], "gift")
    assert caught.value.path == "questions[1]"


def test_format_number_is_short():
    """Whole numbers lose their '.0'; others keep Python's shortest exact form."""
    assert [gift.format_number(x) for x in (3.0, -2.5, 0.1, 1e20)] == ["3", "-2.5", "0.1", "1e+20"]
