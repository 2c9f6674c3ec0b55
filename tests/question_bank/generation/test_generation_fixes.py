"""Regression tests for the causes of rejected questions recorded in question_bank/QUALITY.md."""

from __future__ import annotations

from question_bank.generation import generate
from question_bank.readings import read_text


def stems(text: str, **options) -> list[str]:
    """The stems generated from one pasted text."""
    return [q.stem for q in generate([read_text(text, "case.txt")], **options).questions]


def test_who_never_sits_after_a_title_or_inside_a_clause():
    """A title goes with the name it introduces; no "who" is left mid-clause."""
    text = ("NATO secretary-general Jens Stoltenberg said the pact showed that authoritarian "
            "powers were aligning. The pact was one of the rewards Kim Jong Un has extracted "
            "from Moscow for the weapons he sent.")
    found = stems(text, types=["short_answer", "multiple_choice"])
    assert "Who said the pact showed that authoritarian powers were aligning?" in found
    assert not any("secretary-general who" in s or "rewards who" in s for s in found)


def test_no_question_on_a_name_beside_its_bracketed_alias():
    """"Institute (ASPI)" is neither blanked nor swapped on one side only."""
    text = ("The Australian Strategic Policy Institute (ASPI) is a defence think tank based in "
            "Canberra that advises the government.")
    assert not any("(" in s and "_____" in s.split("(")[0][-12:] for s in stems(text))
    assert not any("Institute (" in s and "Australian Strategic Policy Institute (ASPI)" not in s
                   for s in stems(text))


def test_speculation_is_not_made_into_true_or_false():
    """A sentence that only says what might happen gives no true/false item."""
    text = "North Korea might supply Russia with up to 5,000 more shells by 2026, officials said."
    assert stems(text, types=["true_false"]) == []
    assert stems(text, types=["cloze"])


def test_disclaimers_are_skipped():
    """A disclaimer paragraph gives no questions."""
    text = ("Disclaimer: The views expressed are those of the author and do not represent the "
            "United Nations or the government of India.")
    assert stems(text) == []


def test_unexplained_initials_are_not_answers():
    """An outlet's initials found only in the text are not asked about."""
    text = "Dr Euan Graham told ZQX the deal between North Korea and Russia was concerning."
    answers = [q.answer for q in generate([read_text(text, "a.txt")]).questions]
    assert "ZQX" not in answers


def test_leading_link_words_are_dropped():
    """"However, North Korea..." is asked as "North Korea..."."""
    text = "However, North Korea has invested heavily in its missile programme since 2006."
    found = stems(text)
    assert found and not any("However" in s for s in found)
