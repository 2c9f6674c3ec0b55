"""The topic pack: entity coverage, lookups, conflicts and a teacher's extension."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from question_bank.units import TopicPack, Unit, UnitError, load_topic_pack

ARTICLE_PEOPLE = (
    "Vladimir Putin", "Kim Jong Un", "Kim Jong Il", "Antony Blinken", "Jens Stoltenberg",
    "Volodymyr Zelenskyy", "Yoon Suk Yeol", "Jake Sullivan", "Euan Graham", "Donald Trump",
    "Joel Battle", "Kompal Zinta",
)
# The articles name KSG and its author but never say where they are based.
COUNTRY_NOT_STATED = {"Joel Battle"}


def test_every_person_named_in_the_articles_is_in_the_pack(unit: Unit):
    """Each person the articles name is found by name, and Kim Il Sung is there too."""
    for name in (*ARTICLE_PEOPLE, "Kim Il Sung"):
        assert unit.topics.find(name) is not None, name


def test_every_person_has_role_and_country(unit: Unit):
    """People carry a role and a country (or, where the sources are silent, an organisation)."""
    for person in unit.topics.of_kind("person"):
        assert person.get("role"), person.name
        if person.name in COUNTRY_NOT_STATED:
            assert person.get("organisation"), person.name
        else:
            assert person.get("country"), person.name
            assert unit.topics.find(person.get("country")) is not None, person.name


def test_every_kind_has_enough_entities_for_distractors(unit: Unit):
    """Each kind the pack uses has at least four entities: an answer and three distractors."""
    counts = Counter(entity.kind for entity in unit.topics.entities)
    assert set(counts) == {"person", "country", "organisation", "place", "treaty", "event", "year"}
    assert min(counts.values()) >= 4


def test_main_person_roles_have_enough_peers(unit: Unit):
    """Heads of state, foreign ministers and analysts each have at least four members."""
    roles = Counter(person.get("role") for person in unit.topics.of_kind("person"))
    for role in ("head of state", "head of government", "foreign minister", "analyst",
                 "defence official", "head of an international organisation"):
        assert roles[role] >= 4, role


def test_find_matches_aliases_loosely(unit: Unit):
    """find() resolves aliases regardless of case, hyphens and full stops."""
    assert unit.topics.find("kim jong-un").name == "Kim Jong Un"
    assert unit.topics.find("U.S.").name == "United States"
    assert unit.topics.find("DPRK").name == "North Korea"
    assert unit.topics.find("Atlantis") is None


def test_soviet_union_and_china_conflict_only_about_1961(unit: Unit):
    """The 1961 treaties make the Soviet Union and China clash only when 1961 is mentioned."""
    stem = "Which country signed a mutual assistance treaty with North Korea in 1961 ?"
    assert unit.topics.conflicts_with("Soviet Union", "China", stem)
    assert unit.topics.conflicts_with("China", "USSR", stem)
    assert not unit.topics.conflicts_with("Soviet Union", "China", "Which state collapsed?")
    assert not unit.topics.conflicts_with("Soviet Union", "China", "in 19612 units")


def test_unconditional_conflict_applies_to_any_text(unit: Unit):
    """A conflict with an empty 'when' list holds whatever the question says."""
    assert unit.topics.conflicts_with("UNSC", "United Nations", "")


def test_an_entity_conflicts_with_itself(unit: Unit):
    """An entity and its own alias are never each other's distractor."""
    assert unit.topics.conflicts_with("Putin", "Vladimir Putin", "")


def test_teacher_pack_extends_and_overrides(unit: Unit, tmp_path: Path):
    """merged() adds a teacher's entities and replaces a shipped entity of the same name."""
    text = yaml.safe_dump({
        "entities": [
            {"name": "Kim Yo Jong", "kind": "person", "country": "North Korea",
             "role": "senior official", "description": "Sister of Kim Jong Un"},
            {"name": "Pyongyang", "kind": "place", "aliases": ["P'yŏngyang"],
             "country": "North Korea", "description": "Capital city"},
        ],
        "conflicts": [{"entities": ["Kim Yo Jong", "Kim Jong Un"], "when": [], "why": "Family"}],
    })
    path = tmp_path / "my-pack.yaml"
    path.write_text(text, encoding="utf-8")
    own = load_topic_pack(path)
    assert own.to_dict() == load_topic_pack(text).to_dict()

    merged = unit.topics.merged(own)
    assert len(merged.entities) == len(unit.topics.entities) + 1
    assert merged.find("P'yŏngyang").get("description") == "Capital city"
    assert merged.conflicts_with("Kim Yo Jong", "Kim Jong-un", "anything")
    assert unit.topics.find("Kim Yo Jong") is None


def test_topic_pack_round_trips_through_dict(unit: Unit):
    """from_dict(to_dict()) gives back an equal pack."""
    assert TopicPack.from_dict(unit.topics.to_dict()) == unit.topics


def test_bad_teacher_pack_is_rejected():
    """An unknown kind or a duplicated entity raises UnitError with a clear message."""
    with pytest.raises(UnitError, match="kind 'politician' is not one of"):
        load_topic_pack("entities:\n  - {name: A, kind: politician}\n")
    with pytest.raises(UnitError, match="listed twice"):
        load_topic_pack("entities:\n  - {name: A, kind: person}\n  - {name: a, kind: person}\n")
    with pytest.raises(UnitError, match="not valid YAML"):
        load_topic_pack("entities: [unclosed\n")
