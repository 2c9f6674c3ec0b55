"""The generator's quality rules, one test each, on small inputs written for the tests."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from question_bank.generation import GENERATED_TYPES, NEAR_DUPLICATE, generate
from question_bank.generation.distractors import Pools, candidates
from question_bank.generation.entities import EntityIndex
from question_bank.generation.filters import (
    answer_in_stem,
    fragment_reason,
    pronoun_start,
    statement_reason,
)
from question_bank.readings import read_text
from tests.question_bank.generation.conftest import Entity, Pack

YEAR = re.compile(r"^\d{4}$")
HEDGED = re.compile(r"^(up to |more than |over |about |at least )")
FULL_DATE = re.compile(r"^(?:\d{1,2} )?[A-Z][a-z]+\.? (?:\d{1,2}, )?\d{4}$")


def by_type(result, qtype):
    """The questions of one type."""
    return [q for q in result.questions if q.type == qtype]


def test_all_seven_types_from_any_article(river_doc):
    """An article of our own gives every generated type, each citing an exact passage."""
    result = generate([river_doc])
    assert {q.type for q in result.questions} == set(GENERATED_TYPES)
    for q in result.questions:
        assert river_doc.text[q.source.start:q.source.end] == q.source.passage
        if q.type in ("cloze", "short_answer", "multiple_choice"):
            assert q.answer in q.source.passage


def test_multiple_choice_has_one_answer_and_three_distinct_distractors(river_doc):
    """Four different, non-empty choices, exactly one of them the answer."""
    questions = by_type(generate([river_doc]), "multiple_choice")
    assert questions
    for q in questions:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4 and all(q.choices)
        assert q.choices.count(q.answer) == 1


def test_distractors_are_of_the_answers_kind(river_doc):
    """Years for years, dates for dates, figures with the same hedge, people for people."""
    result = generate([river_doc], types=["multiple_choice"])
    index = EntityIndex()
    people = {"Anna Berg", "Luis Ortega", "Erik Dahl", "Berg", "Ortega", "Dahl"}
    checked = 0
    for q in result.questions:
        if YEAR.match(q.answer):
            assert all(YEAR.match(c) for c in q.choices), q.choices
            assert all(abs(int(c) - int(q.answer)) <= 20 for c in q.choices)
        elif FULL_DATE.match(q.answer):
            assert all(FULL_DATE.match(c) for c in q.choices), q.choices
        elif HEDGED.match(q.answer):
            hedge = HEDGED.match(q.answer).group(1)
            assert all(c.startswith(hedge) for c in q.choices), q.choices
        elif q.answer.replace(",", "").isdigit():
            assert all(c.replace(",", "").isdigit() for c in q.choices), q.choices
            assert all(0.2 <= int(c.replace(",", "")) / int(q.answer.replace(",", "")) <= 5
                       for c in q.choices)
        elif q.answer in people:
            assert all(c in people for c in q.choices), q.choices
        else:
            kind = index.lookup(q.answer).kind
            assert all(index.lookup(c) and index.lookup(c).kind == kind for c in q.choices)
        checked += 1
    assert checked >= 3


def test_person_distractors_come_from_the_same_country_first():
    """A Russian official's distractors are Russian officials when the pack knows some."""
    doc = read_text("Russian Foreign Minister Sergei Lavrov met the delegation in Moscow on "
                    "Tuesday and promised closer trade ties.", "visit.txt")
    pack = Pack([
        Entity("Sergei Lavrov", "person", ["Lavrov"], {"country": "Russia", "role": "minister"}),
        Entity("Dmitry Peskov", "person", ["Peskov"], {"country": "Russia", "role": "spokesman"}),
        Entity("Sergei Shoigu", "person", ["Shoigu"], {"country": "Russia", "role": "minister"}),
        Entity("Maria Zakharova", "person", [], {"country": "Russia", "role": "spokeswoman"}),
        Entity("Antony Blinken", "person", [], {"country": "United States", "role": "minister"}),
        Entity("Penny Wong", "person", [], {"country": "Australia", "role": "minister"}),
    ])
    questions = by_type(generate([doc], topics=pack, types=["multiple_choice"]),
                        "multiple_choice")
    q = next(q for q in questions if q.answer == "Sergei Lavrov")
    assert sorted(set(q.choices) - {"Sergei Lavrov"}) == [
        "Dmitry Peskov", "Maria Zakharova", "Sergei Shoigu"]


def test_conflicting_or_alias_candidates_are_never_distractors():
    """The pack's conflicts and the answer's own aliases are kept out of the choices."""
    doc = read_text("North Korean leader Kim Jong Un hosted the visitors in Pyongyang on "
                    "Wednesday with a military parade.", "parade.txt")
    pack = Pack([
        Entity("Kim Jong Un", "person", ["Kim Jong-un", "Kim"], {"country": "North Korea"}),
        Entity("Kim Yo Jong", "person", [], {"country": "North Korea"}),
        Entity("Choe Son Hui", "person", [], {"country": "North Korea"}),
        Entity("Pak Thae Song", "person", [], {"country": "North Korea"}),
        Entity("Kim Tok Hun", "person", [], {"country": "North Korea"}),
    ], pairs={frozenset(("Kim Jong Un", "Kim Yo Jong"))})
    index = EntityIndex(pack)
    sentence = doc.passages[0].text
    pools = Pools(index, pack)
    index.learn([sentence])
    mention = next(m for m in index.mentions(sentence) if m.kind == "person")
    wrong = candidates(mention, sentence, sentence, pools, limit=5)
    assert "Kim Yo Jong" not in wrong
    assert not {"Kim Jong-un", "Kim", "Kim Jong Un"} & set(wrong)
    assert wrong


def test_candidates_listed_beside_the_answer_are_not_distractors():
    """When the passage names several countries in the same role, none is a wrong answer."""
    text = ("Officials said Iran, China and Belarus are supplying parts for the drones used "
            "in the war.")
    index = EntityIndex()
    pools = Pools(index)
    mentions = index.mentions(text)
    pools.note(text, mentions)
    iran = next(m for m in mentions if m.text == "Iran")
    wrong = candidates(iran, text, text, pools, limit=3)
    assert len(wrong) == 3
    assert not {"China", "Belarus"} & set(wrong)


def test_false_statements_substitute_and_never_negate(river_doc):
    """A false true/false item swaps one thing for another of its kind; no "not" is added."""
    false = [q for q in by_type(generate([river_doc], seed=3), "true_false")
             if q.answer == "false"]
    assert false
    sentences = re.split(r"(?<=[.!?])\s+", river_doc.text)
    for q in false:
        statement = q.stem.removeprefix("True or false: ")
        original = max(sentences, key=lambda s: fuzz.ratio(s, statement))
        assert statement != original
        assert statement.lower().count(" not ") == original.lower().count(" not ")
        assert "n't" not in statement or "n't" in original


def test_pronoun_openings_are_dropped():
    """A sentence that opens with an unresolved pronoun yields no question."""
    assert pronoun_start("It was described by both leaders as a model.")
    assert pronoun_start("These tests have been a source of tension.")
    assert not pronoun_start("Italy signed the treaty in 1957.")
    assert pronoun_start("Thus, it will deepen the divide.")
    assert pronoun_start("In addition, they sent shells.")
    assert not pronoun_start("However, Italy signed the treaty in 1957.")
    doc = read_text("It was signed in Geneva in 1998 by the United Nations and Chile.\n\n"
                    "They said up to 3,000 staff would move to Santiago in 2004.", "p.txt")
    result = generate([doc])
    assert result.questions == []
    assert result.stats["dropped"]["pronoun_start"] > 0


def test_resolved_he_or_she_keeps_the_sentence():
    """"He said..." after a sentence naming exactly one person is asked with the name."""
    doc = read_text("Chilean President Luis Ortega arrived in Oslo on Monday for the talks. "
                    "He said the treaty would protect farmers in Peru and Argentina.", "he.txt")
    stems = [q.stem for q in generate([doc]).questions]
    assert any("Ortega said the treaty" in s for s in stems)
    assert not any(re.search(r"(?:^|: )He ", s) for s in stems)


def test_answer_in_stem_is_dropped():
    """A stem that still shows its answer (or an alias of it) is rejected."""
    assert answer_in_stem("Chile and _____ signed; Chile paid.", ["Chile"])
    assert answer_in_stem("The _____ (UN) met in Geneva.", ["United Nations", "UN"])
    assert not answer_in_stem("Chile and _____ signed.", ["Norway"])
    doc = read_text("Chile signed the treaty in Oslo because Chile needed the water badly.",
                    "twice.txt")
    result = generate([doc], types=["cloze", "short_answer", "multiple_choice"])
    assert all("Chile" != q.answer for q in result.questions)
    assert result.stats["dropped"].get("answer_in_stem", 0) > 0


def test_fragments_are_dropped():
    """Headings, verbless lines, unbalanced quotes and unfinished lines make no questions."""
    assert fragment_reason("Details of the Pact") == "fragment:too_short"
    assert fragment_reason("The history of relations between Chile and Norway since 1998.") \
        == "fragment:no_verb"
    assert fragment_reason("Chile said “the treaty is fair and will last for decades.") \
        == "fragment:unbalanced"
    assert fragment_reason("Effect insurance prices for activities in the region") \
        == "fragment:no_end_punctuation"
    assert fragment_reason("and then Chile signed the treaty in Oslo in 2023.") \
        == "fragment:starts_lowercase"
    assert statement_reason("Norway signed the water treaty with Chile in Oslo in 2023.") == ""
    doc = read_text("The history of relations between Chile and Norway since 1998.\n\n"
                    "Chile said “the treaty is fair to Norway and will last until 2050.",
                    "bits.txt")
    assert generate([doc]).questions == []


def test_near_duplicate_stems_are_removed():
    """The same fact told twice gives one question, not two near-identical ones."""
    sentence = "Chilean President Luis Ortega signed the water treaty in Oslo in 2023."
    doc = read_text(f"{sentence}\n\n{sentence}\n\n{sentence.replace('signed', 'approved')}",
                    "repeat.txt")
    result = generate([doc])
    stems = [q.stem for q in result.questions]
    for i, a in enumerate(stems):
        for b in stems[i + 1:]:
            assert fuzz.token_set_ratio(a, b) < NEAR_DUPLICATE, (a, b)
    assert result.stats["dropped"].get("near_duplicate", 0) + \
        result.stats["dropped"].get("duplicate", 0) > 0


def test_hedges_carry_into_stems_and_answers(river_doc):
    """"up to", "more than", "reportedly" and "according to" survive in stems and answers."""
    result = generate([river_doc])
    up_to_mc = [q for q in by_type(result, "multiple_choice") if "5,000" in q.answer]
    assert up_to_mc and up_to_mc[0].answer == "up to 5,000"
    assert all(c.startswith("up to ") for c in up_to_mc[0].choices)
    numeric = [q for q in generate([river_doc], types=["numeric"]).questions
               if q.answer == "5000"]
    assert numeric and "up to how many engineers" in numeric[0].stem
    cloze = [q for q in generate([river_doc], types=["cloze"]).questions if q.answer == "5,000"]
    assert cloze
    for q in cloze:
        assert "up to _____" in q.stem
    reported = [q for q in result.questions if "40 million" in q.source.passage
                and q.type not in ("matching", "ordering")]
    assert reported
    for q in reported:
        assert "reportedly" in q.stem and "according to" in q.stem
        if q.type == "multiple_choice":
            assert q.answer.startswith("more than")


def test_same_seed_gives_identical_output(river_doc):
    """Same input and seed: the very same questions, in the same order."""
    first = generate([river_doc], seed=7)
    second = generate([river_doc], seed=7)
    assert [q.to_dict() for q in first.questions] == [q.to_dict() for q in second.questions]


def test_another_seed_may_shuffle_choices(river_doc):
    """A different seed keeps the facts but can reorder choices."""
    a = {q.stem: q.choices for q in by_type(generate([river_doc], seed=1), "multiple_choice")}
    b = {q.stem: q.choices for q in by_type(generate([river_doc], seed=2), "multiple_choice")}
    shared = set(a) & set(b)
    assert shared
    assert all(sorted(a[s]) == sorted(b[s]) for s in shared)
    assert any(a[s] != b[s] for s in shared)


def test_types_and_max_questions_are_respected(river_doc):
    """Only the requested types, at most the requested number, best first."""
    result = generate([river_doc], types=["cloze", "numeric"], max_questions=4)
    assert len(result.questions) == 4
    assert {q.type for q in result.questions} <= {"cloze", "numeric"}
    scores = [q.confidence for q in result.questions]
    assert scores == sorted(scores, reverse=True)
    assert set(result.stats["per_type"]) == {"cloze", "numeric"}


def test_matching_and_ordering_are_well_formed(river_doc):
    """Matching has 4-6 glossary pairs; ordering has 4-5 events in date order."""
    result = generate([river_doc], types=["matching", "ordering"])
    matching = [q for q in by_type(result, "matching") if "definition" in q.stem]
    assert matching and all(4 <= len(q.pairs) <= 6 for q in matching)
    assert ("Glacier", "A slow river of ice that feeds many rivers in dry seasons.") in \
        matching[0].pairs
    ordering = by_type(result, "ordering")
    assert ordering
    for q in ordering:
        assert 4 <= len(q.items) <= 5
        assert not any(re.search(r"\b(?:19|20)\d{2}\b", item) for item in q.items)
    years = ["1998", "2005", "2016", "2021", "2023"]
    order = [next(y for y in years if y in q.explanation.split(item)[0][-30:])
             for q in ordering[:1] for item in q.items]
    assert order == sorted(order)


def test_glossary_and_timeline_arguments_are_used():
    """Unit-style glossary and timeline entries become matching and ordering questions."""
    notes = read_text(
        "Glossary entry one. Treaty: a written agreement between states.\n\n"
        "2001: First talks. 2005: Embassies open. 2010: Trade pact. 2015: Joint drill.",
        "glossary.md")
    terms = [{"term": t, "definition": d} for t, d in [
        ("Treaty", "a written agreement between states"), ("Sanction", "a penalty on a state"),
        ("Veto", "a right to block a decision"), ("Embassy", "a country's mission abroad")]]
    text = "\n\n".join(f"{t['term']}: {t['definition']}, as the unit explains it here."
                       for t in terms)
    events = [{"date": y, "event": e} for y, e in [
        ("2001", "First talks are held in the capital city"),
        ("2005", "The two embassies open their doors to visitors"),
        ("2010", "A trade pact is signed by both ministers"),
        ("2015", "The navies hold a joint drill at sea")]]
    text += "\n\n" + "\n\n".join(f"{e['date']}: {e['event']}." for e in events)
    doc = read_text(text, "unit-notes.md")
    doc.kind = "notes"
    result = generate([doc, notes], types=["matching", "ordering"], glossary=terms,
                      timeline=events)
    matching = by_type(result, "matching")[0]
    assert {t for t, _ in matching.pairs} == {"Treaty", "Sanction", "Veto", "Embassy"}
    ordering = by_type(result, "ordering")[0]
    assert ordering.items == [e["event"] for e in events]
