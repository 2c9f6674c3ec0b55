"""Units: a topic's own study notes, glossary, timeline, topic pack and debate prompts.

A unit is a folder of plain files (see ``question_bank/units/README.md`` for the format). This
module reads one into plain data and turns its prose into :class:`~question_bank.model.Document`
objects the generator can cite. It does not import Flask.

Passage tags: every notes section may carry topic tags (``<!-- tags: a, b -->`` under its heading);
each paragraph of the section inherits them. Ask for them with
``unit.passage_tags(document_name, passage_index)``; glossary and timeline entries may carry their
own ``tags`` list, which is returned the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from question_bank.model import Document, Passage

UNITS_DIR = Path(__file__).with_name("units")
"""Where the shipped units live, one folder each."""

ENTITY_KINDS = ("person", "country", "organisation", "place", "treaty", "event", "year")
STANCES = ("for", "against", "other")
UNIT_KEYS = ("slug", "title", "subject", "summary", "tags", "sources")
SOURCE_KEYS = ("id", "file", "publisher", "author", "date", "title")

_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_TAGS_COMMENT = re.compile(r"^<!--\s*tags:\s*(.*?)\s*-->$")
_COMMENT = re.compile(r"^<!--.*-->$")
_MARKER = re.compile(r"\s*\[sources:\s*([^\]]*)\]\s*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class UnitError(ValueError):
    """A unit's files are missing or malformed; the message names the file and the problem."""


@dataclass
class Source:
    """One article the unit is written from."""

    id: str
    file: str
    publisher: str
    author: str
    date: str
    title: str
    url: str = ""


@dataclass
class GlossaryTerm:
    """A key term with a one-sentence definition in the unit's own words."""

    term: str
    definition: str
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class TimelineEvent:
    """A dated event; ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""

    date: str
    event: str
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def date_label(self) -> str:
        """The date as a reader writes it: ``19 June 2024``, ``June 2024`` or ``2024``."""
        return human_date(self.date)


@dataclass
class Entity:
    """A person, country, organisation, place, treaty, event or year of the subject."""

    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    """Everything else the pack says: ``country``, ``role``, ``description``, ``region``..."""

    @property
    def names(self) -> list[str]:
        """The canonical name followed by the aliases."""
        return [self.name, *self.aliases]

    def get(self, key: str, default: str = "") -> str:
        """One attribute, or ``default`` when the pack does not give it."""
        return self.attributes.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """The YAML shape: name, kind, aliases, then the attributes as top-level keys."""
        return {"name": self.name, "kind": self.kind, "aliases": list(self.aliases),
                **self.attributes}


@dataclass
class Conflict:
    """Entities that must not stand as each other's distractor when the question mentions ``when``.

    An empty ``when`` means always. A conflict may list more than two entities: every pair in it
    conflicts.
    """

    entities: list[str]
    when: list[str] = field(default_factory=list)
    why: str = ""

    def applies_to(self, text: str) -> bool:
        """True when ``text`` mentions one of the ``when`` terms, or there are none."""
        return not self.when or any(_mentions(text, term) for term in self.when)

    def to_dict(self) -> dict[str, Any]:
        """The YAML shape."""
        return {"entities": list(self.entities), "when": list(self.when), "why": self.why}


@dataclass
class TopicPack:
    """The entities of a subject, so distractors can be of the answer's kind and not also true."""

    entities: list[Entity] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    _lookup_cache: dict[str, Entity] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lookup_key: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def of_kind(self, kind: str) -> list[Entity]:
        """Every entity of one kind, in pack order."""
        return [entity for entity in self.entities if entity.kind == kind]

    def find(self, name_or_alias: str) -> Entity | None:
        """The entity with this name or alias (case, hyphens and full stops ignored), or None."""
        return self._lookup().get(normalise_name(name_or_alias))

    def conflicts_with(self, a: str, b: str, text: str = "") -> bool:
        """True if ``a`` and ``b`` must not be each other's distractor for this question text."""
        key_a, key_b = self._canonical(a), self._canonical(b)
        if key_a == key_b:
            return True
        for conflict in self.conflicts:
            members = {self._canonical(name) for name in conflict.entities}
            if key_a in members and key_b in members and conflict.applies_to(text):
                return True
        return False

    def _lookup(self) -> dict[str, Entity]:
        # The generator asks for names tens of thousands of times: index them once per
        # entity list (rebuilt if the list is replaced or grows).
        key = (id(self.entities), len(self.entities))
        if self._lookup_key != key:
            lookup: dict[str, Entity] = {}
            for entity in self.entities:
                for name in entity.names:
                    lookup.setdefault(normalise_name(name), entity)
            self._lookup_cache, self._lookup_key = lookup, key
        return self._lookup_cache

    def merged(self, other: TopicPack) -> TopicPack:
        """This pack extended by ``other``: an entity of the same name replaces ours entirely."""
        replacements = {normalise_name(entity.name): entity for entity in other.entities}
        entities = [replacements.pop(normalise_name(entity.name), entity)
                    for entity in self.entities]
        entities.extend(e for e in other.entities if normalise_name(e.name) in replacements)
        conflicts = list(self.conflicts)
        conflicts.extend(c for c in other.conflicts if c not in conflicts)
        return TopicPack(entities=entities, conflicts=conflicts)

    @classmethod
    def from_dict(cls, data: Any, where: str = "topic pack") -> TopicPack:
        """Build a pack from parsed YAML; raises UnitError naming ``where`` on bad data."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise UnitError(f"{where}: expected a mapping with 'entities' and 'conflicts'")
        entities = [_entity(item, f"{where}: entities[{i}]")
                    for i, item in enumerate(_list(data, "entities", where))]
        seen: set[str] = set()
        for entity in entities:
            key = normalise_name(entity.name)
            if key in seen:
                raise UnitError(f"{where}: entity {entity.name!r} is listed twice")
            seen.add(key)
        conflicts = [_conflict(item, f"{where}: conflicts[{i}]")
                     for i, item in enumerate(_list(data, "conflicts", where))]
        return cls(entities=entities, conflicts=conflicts)

    def to_dict(self) -> dict[str, Any]:
        """The YAML shape, ready for ``yaml.safe_dump``."""
        return {"entities": [entity.to_dict() for entity in self.entities],
                "conflicts": [conflict.to_dict() for conflict in self.conflicts]}

    def _canonical(self, name: str) -> str:
        entity = self.find(name)
        return normalise_name(entity.name if entity else name)


@dataclass
class Prompt:
    """A debate or essay prompt with positions and pointers into the articles."""

    id: str
    title: str
    question: str
    framing: str
    positions: list[dict[str, str]] = field(default_factory=list)
    """Each ``{"stance": "for" | "against" | "other", "summary": ...}``."""
    evidence: list[dict[str, str]] = field(default_factory=list)
    """Each ``{"source": id, "quote_hint": a short exact phrase of that article}``."""
    tags: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A headed part of a notes file and its paragraphs (marker already stripped)."""

    heading: str
    tags: list[str]
    paragraphs: list[tuple[str, tuple[str, ...]]]
    """Each paragraph's text and the source ids its marker names."""


@dataclass
class Unit:
    """One unit, loaded and checked."""

    slug: str
    title: str
    subject: str
    summary: str
    tags: list[str]
    sources: list[Source]
    glossary: list[GlossaryTerm]
    timeline: list[TimelineEvent]
    topics: TopicPack
    prompts: list[Prompt]
    path: Path
    notes_title: str = ""
    notes: list[Section] = field(default_factory=list)
    disagreements_title: str = ""
    disagreements: list[Section] = field(default_factory=list)

    def source(self, source_id: str) -> Source:
        """The source with this id (KeyError if there is none)."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def documents(self) -> list[Document]:
        """The unit's own text as documents: notes, glossary, timeline, disagreements."""
        docs = [
            _sections_document("notes.md", self.notes_title or self.title, self.notes),
            _entries_document(
                "glossary.md", f"{self.title}: glossary", "glossary",
                [(t.term, f"{t.term}: {t.definition}", t.sources) for t in self.glossary]),
            _entries_document(
                "timeline.md", f"{self.title}: timeline", "timeline",
                [(e.date_label, f"{e.date_label}: {e.event}", e.sources) for e in self.timeline]),
        ]
        if self.disagreements:
            docs.append(_sections_document(
                "disagreements.md", self.disagreements_title or "Where the sources disagree",
                self.disagreements))
        return docs

    def document(self, name: str) -> Document:
        """One of :meth:`documents` by file name (KeyError if there is none)."""
        for doc in self.documents():
            if doc.name == name:
                return doc
        raise KeyError(name)

    def passage_tags(self, document_name: str, passage_index: int) -> list[str]:
        """Topic tags of one passage of :meth:`documents`: its section's, or its entry's own."""
        if document_name in ("notes.md", "disagreements.md"):
            sections = self.notes if document_name == "notes.md" else self.disagreements
            index = passage_index
            for section in sections:
                if index < len(section.paragraphs):
                    return list(section.tags)
                index -= len(section.paragraphs)
            raise IndexError(passage_index)
        if document_name == "glossary.md":
            return list(self.glossary[passage_index].tags)
        if document_name == "timeline.md":
            return list(self.timeline[passage_index].tags)
        raise KeyError(document_name)

    def passages_tagged(self, tag: str) -> list[tuple[Document, Passage]]:
        """Every passage of every document that carries ``tag``."""
        found = []
        for doc in self.documents():
            found.extend((doc, passage) for passage in doc.passages
                         if tag in self.passage_tags(doc.name, passage.index))
        return found

    def prose(self) -> list[tuple[str, str]]:
        """Every piece of the unit's own-words text as (where, text); ``quote_hint`` is left out."""
        pieces = [("unit.yaml: summary", self.summary)]
        for name, sections in (("notes.md", self.notes), ("disagreements.md", self.disagreements)):
            for section in sections:
                pieces.extend((f"{name}: {section.heading}", text)
                              for text, _ in section.paragraphs)
        pieces.extend((f"glossary.yaml: {t.term}", t.definition) for t in self.glossary)
        pieces.extend((f"timeline.yaml: {e.date}", e.event) for e in self.timeline)
        for prompt in self.prompts:
            where = f"prompts.yaml: {prompt.id}"
            pieces.append((where, prompt.question))
            pieces.append((where, prompt.framing))
            pieces.extend((where, position["summary"]) for position in prompt.positions)
        for entity in self.topics.entities:
            if entity.get("description"):
                pieces.append((f"topics.yaml: {entity.name}", entity.get("description")))
        pieces.extend((f"topics.yaml: {' / '.join(c.entities)}", c.why)
                      for c in self.topics.conflicts if c.why)
        return pieces


def load_unit(path: str | Path) -> Unit:
    """Read and check the unit in folder ``path``; raises UnitError naming the file and problem."""
    folder = Path(path)
    if not folder.is_dir():
        raise UnitError(f"{folder}: not a unit folder")
    meta = _yaml(folder / "unit.yaml", required=True)
    if not isinstance(meta, dict):
        raise UnitError("unit.yaml: expected a mapping")
    for key in UNIT_KEYS:
        if key not in meta or meta[key] in (None, ""):
            raise UnitError(f"unit.yaml: missing required key {key!r}")
    slug = str(meta["slug"])
    if not _TAG.match(slug):
        raise UnitError(f"unit.yaml: slug {slug!r} must be lowercase words joined by hyphens")
    tags = _tags(meta["tags"], "unit.yaml: tags")
    sources = _sources(meta["sources"])
    known_sources = {source.id for source in sources}
    known_tags = set(tags)

    def check_refs(ids: Iterable[str], where: str) -> list[str]:
        ids = [str(i) for i in ids]
        for source_id in ids:
            if source_id not in known_sources:
                raise UnitError(f"{where}: unknown source id {source_id!r} "
                                f"(unit.yaml lists {', '.join(sorted(known_sources))})")
        return ids

    def check_tags(values: Any, where: str) -> list[str]:
        found = _tags(values or [], where)
        for tag in found:
            if tag not in known_tags:
                raise UnitError(f"{where}: tag {tag!r} is not listed in unit.yaml tags")
        return found

    notes_title, notes = _read_sections(folder / "notes.md", required=True)
    disagreements_title, disagreements = _read_sections(folder / "disagreements.md",
                                                        required=False)
    for name, sections in (("notes.md", notes), ("disagreements.md", disagreements)):
        for section in sections:
            where = f"{name}: section {section.heading!r}"
            check_tags(section.tags, where)
            for _, ids in section.paragraphs:
                check_refs(ids, where)

    glossary = _glossary(folder / "glossary.yaml", check_refs, check_tags)
    timeline = _timeline(folder / "timeline.yaml", check_refs, check_tags)
    topics = TopicPack.from_dict(_yaml(folder / "topics.yaml"), "topics.yaml")
    for i, conflict in enumerate(topics.conflicts):
        for name in conflict.entities:
            if topics.find(name) is None:
                raise UnitError(f"topics.yaml: conflicts[{i}] names {name!r}, "
                                "which is not an entity of the pack")
    prompts = _prompts(folder / "prompts.yaml", check_refs, check_tags)
    return Unit(
        slug=slug, title=str(meta["title"]), subject=str(meta["subject"]),
        summary=_text(meta["summary"]), tags=tags, sources=sources, glossary=glossary,
        timeline=timeline, topics=topics, prompts=prompts, path=folder,
        notes_title=notes_title, notes=notes, disagreements_title=disagreements_title,
        disagreements=disagreements,
    )


def shipped_units() -> list[Path]:
    """The unit folders shipped under ``question_bank/units/``, sorted by name."""
    return sorted(p for p in UNITS_DIR.iterdir() if (p / "unit.yaml").is_file())


def load_topic_pack(path_or_text: str | Path) -> TopicPack:
    """Read a teacher's own topic pack from a YAML file path or from YAML text."""
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and path_or_text.strip().endswith((".yaml", ".yml"))
    ):
        path = Path(path_or_text)
        return TopicPack.from_dict(_yaml(path, required=True), path.name)
    try:
        data = yaml.safe_load(path_or_text)
    except yaml.YAMLError as exc:
        raise UnitError(f"topic pack: not valid YAML ({exc})") from exc
    return TopicPack.from_dict(data, "topic pack")


@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A name folded for comparison: case, full stops, hyphens and extra spaces ignored."""
    folded = name.casefold().replace(".", "").replace("’", "'")
    return " ".join(re.split(r"[\s\-–]+", folded)).strip()


def human_date(value: str) -> str:
    """``2024-06-19`` as ``19 June 2024``, ``2024-06`` as ``June 2024``, ``2024`` unchanged."""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def word_runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text``, case-folded and without punctuation."""
    words = _words(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def copied_runs(text: str, original: str | set[tuple[str, ...]], n: int = 8) -> list[str]:
    """Runs of ``n`` words that ``text`` shares with ``original`` (a text or its word_runs)."""
    runs = original if isinstance(original, set) else word_runs(original, n)
    words = _words(text)
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)
            if tuple(words[i:i + n]) in runs]


def _words(text: str) -> list[str]:
    # Apostrophes vanish so "Russia's" and "Russia’s" both become "russias"; every other
    # punctuation mark separates words.
    folded = re.sub(r"['’‘`]", "", text.casefold())
    return re.findall(r"[^\W_]+", folded)


def _mentions(text: str, term: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(term.casefold()) + r"(?!\w)"
    return re.search(pattern, text.casefold()) is not None


# -- reading files ---------------------------------------------------------------------------


def _yaml(path: Path, required: bool = False) -> Any:
    if not path.is_file():
        if required:
            raise UnitError(f"{path.name}: file is missing")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UnitError(f"{path.name}: not valid YAML ({exc})") from exc


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise UnitError(f"{where}: {key!r} must be a list")
    return value


def _require(item: Any, keys: Iterable[str], where: str) -> dict:
    if not isinstance(item, dict):
        raise UnitError(f"{where}: expected a mapping")
    for key in keys:
        if key not in item or item[key] is None or item[key] == "":
            raise UnitError(f"{where}: missing required key {key!r}")
    return item


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise UnitError(f"{where}: expected a list")
    return [str(item) for item in value]


def _tags(value: Any, where: str) -> list[str]:
    tags = _strings(value, where)
    for tag in tags:
        if not _TAG.match(tag):
            raise UnitError(f"{where}: tag {tag!r} must be lowercase words joined by hyphens")
    return tags


def _date(value: Any, where: str) -> str:
    """A YYYY-MM-DD, YYYY-MM or YYYY date as text; YAML's own dates and years are accepted."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            continue
        if parsed.strftime(fmt) == text:
            return text
    raise UnitError(f"{where}: date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def _sources(value: Any) -> list[Source]:
    if not isinstance(value, list) or not value:
        raise UnitError("unit.yaml: 'sources' must be a non-empty list")
    sources = []
    for i, item in enumerate(value):
        where = f"unit.yaml: sources[{i}]"
        item = _require(item, SOURCE_KEYS, where)
        source = Source(
            id=str(item["id"]), file=str(item["file"]), publisher=str(item["publisher"]),
            author=str(item["author"]), date=_date(item["date"], where),
            title=str(item["title"]), url=str(item.get("url") or ""),
        )
        if source.id in {s.id for s in sources}:
            raise UnitError(f"{where}: source id {source.id!r} is used twice")
        sources.append(source)
    return sources


def _glossary(path: Path, check_refs, check_tags) -> list[GlossaryTerm]:
    data = _yaml(path, required=True)
    terms = _list(data if isinstance(data, dict) else {}, "terms", path.name)
    if not terms:
        raise UnitError(f"{path.name}: needs a 'terms' list with at least one term")
    glossary = []
    for i, item in enumerate(terms):
        where = f"{path.name}: terms[{i}]"
        item = _require(item, ("term", "definition"), where)
        glossary.append(GlossaryTerm(
            term=str(item["term"]), definition=_text(item["definition"]),
            aliases=_strings(item.get("aliases"), where),
            sources=check_refs(_strings(item.get("sources"), where), where),
            tags=check_tags(item.get("tags"), where),
        ))
    return glossary


def _timeline(path: Path, check_refs, check_tags) -> list[TimelineEvent]:
    data = _yaml(path)
    events = []
    for i, item in enumerate(_list(data if isinstance(data, dict) else {}, "events", path.name)):
        where = f"{path.name}: events[{i}]"
        item = _require(item, ("date", "event"), where)
        event = TimelineEvent(
            date=_date(item["date"], where), event=_text(item["event"]),
            sources=check_refs(_strings(item.get("sources"), where), where),
            tags=check_tags(item.get("tags"), where),
        )
        # Partial dates compare as text: "2024-06" sorts before "2024-06-19", as it should.
        if events and event.date < events[-1].date:
            raise UnitError(f"{where}: {event.date} comes after {events[-1].date}; "
                            "keep the events in date order")
        events.append(event)
    return events


def _prompts(path: Path, check_refs, check_tags) -> list[Prompt]:
    data = _yaml(path)
    prompts = []
    for i, item in enumerate(_list(data if isinstance(data, dict) else {}, "prompts", path.name)):
        where = f"{path.name}: prompts[{i}]"
        item = _require(item, ("id", "title", "question", "framing"), where)
        positions = []
        for j, position in enumerate(item.get("positions") or []):
            pwhere = f"{where}: positions[{j}]"
            position = _require(position, ("stance", "summary"), pwhere)
            if position["stance"] not in STANCES:
                raise UnitError(f"{pwhere}: stance must be one of {', '.join(STANCES)}")
            positions.append({"stance": str(position["stance"]),
                              "summary": _text(position["summary"])})
        evidence = []
        for j, ref in enumerate(item.get("evidence") or []):
            ewhere = f"{where}: evidence[{j}]"
            ref = _require(ref, ("source", "quote_hint"), ewhere)
            check_refs([ref["source"]], ewhere)
            evidence.append({"source": str(ref["source"]), "quote_hint": str(ref["quote_hint"])})
        prompts.append(Prompt(
            id=str(item["id"]), title=str(item["title"]), question=_text(item["question"]),
            framing=_text(item["framing"]), positions=positions, evidence=evidence,
            tags=check_tags(item.get("tags"), where),
        ))
    ids = [prompt.id for prompt in prompts]
    for prompt_id in ids:
        if ids.count(prompt_id) > 1:
            raise UnitError(f"{path.name}: prompt id {prompt_id!r} is used twice")
    return prompts


def _entity(item: Any, where: str) -> Entity:
    item = _require(item, ("name", "kind"), where)
    if item["kind"] not in ENTITY_KINDS:
        raise UnitError(f"{where}: kind {item['kind']!r} is not one of {', '.join(ENTITY_KINDS)}")
    attributes = {}
    for key, value in item.items():
        if key in ("name", "kind", "aliases") or value is None:
            continue
        attributes[str(key)] = (", ".join(str(v) for v in value) if isinstance(value, list)
                                else str(value))
    return Entity(name=str(item["name"]), kind=str(item["kind"]),
                  aliases=_strings(item.get("aliases"), where), attributes=attributes)


def _conflict(item: Any, where: str) -> Conflict:
    item = _require(item, ("entities",), where)
    entities = _strings(item["entities"], where)
    if len(entities) < 2:
        raise UnitError(f"{where}: a conflict needs at least two entities")
    return Conflict(entities=entities, when=_strings(item.get("when"), where),
                    why=_text(item.get("why") or ""))


def _read_sections(path: Path, required: bool) -> tuple[str, list[Section]]:
    """Split a notes file into its front-matter title and headed sections of paragraphs."""
    if not path.is_file():
        if required:
            raise UnitError(f"{path.name}: file is missing")
        return "", []
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    title = ""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise UnitError(f"{path.name}: front matter is not closed with '---'")
        try:
            front = yaml.safe_load(text[4:end]) or {}
        except yaml.YAMLError as exc:
            raise UnitError(f"{path.name}: front matter is not valid YAML ({exc})") from exc
        if not isinstance(front, dict):
            raise UnitError(f"{path.name}: front matter must be a mapping")
        title = str(front.get("title") or "")
        text = text[end + 4:].split("\n", 1)[1] if "\n" in text[end + 4:] else ""

    sections: list[Section] = []
    current = Section(heading="", tags=[], paragraphs=[])
    block: list[str] = []
    expecting_tags = False

    def flush() -> None:
        if not block:
            return
        raw = " ".join(line.strip() for line in block)
        block.clear()
        match = _MARKER.search(raw)
        ids: tuple[str, ...] = ()
        if match:
            ids = tuple(i.strip() for i in match.group(1).split(",") if i.strip())
            raw = raw[:match.start()].rstrip()
        if "[sources:" in raw:
            raise UnitError(f"{path.name}: a [sources: ...] marker must end its paragraph "
                            f"(section {current.heading!r})")
        if raw:
            current.paragraphs.append((raw, ids))

    for line in text.split("\n"):
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            if current.heading or current.paragraphs:
                sections.append(current)
            current = Section(heading=heading.group(1), tags=[], paragraphs=[])
            expecting_tags = True
            continue
        if not stripped:
            flush()
            continue
        tags = _TAGS_COMMENT.match(stripped)
        if tags and expecting_tags and not block:
            current.tags = [t.strip() for t in tags.group(1).split(",") if t.strip()]
            expecting_tags = False
            continue
        expecting_tags = False
        if _COMMENT.match(stripped):
            continue
        block.append(stripped)
    flush()
    if current.heading or current.paragraphs:
        sections.append(current)
    return title, sections


# -- building documents ----------------------------------------------------------------------


def _sections_document(name: str, title: str, sections: list[Section]) -> Document:
    """Headings and paragraphs as one text; a passage per paragraph with exact offsets."""
    parts: list[str] = []
    passages: list[Passage] = []
    offset = 0

    def add(chunk: str) -> int:
        nonlocal offset
        if parts:
            parts.append("\n\n")
            offset += 2
        start = offset
        parts.append(chunk)
        offset += len(chunk)
        return start

    for section in sections:
        if section.heading:
            add(section.heading)
        for text, ids in section.paragraphs:
            start = add(text)
            passages.append(Passage(index=len(passages), text=text, start=start,
                                    end=start + len(text), heading=section.heading,
                                    sources=ids))
    return Document(name=name, text="".join(parts), passages=passages, title=title,
                    publisher="Debrief", kind="notes")


def _entries_document(name: str, title: str, kind: str,
                      entries: list[tuple[str, str, list[str]]]) -> Document:
    """One passage per entry (heading, text, sources), separated by blank lines."""
    passages = []
    offset = 0
    for heading, text, ids in entries:
        passages.append(Passage(index=len(passages), text=text, start=offset,
                                end=offset + len(text), heading=heading, sources=tuple(ids)))
        offset += len(text) + 2
    return Document(name=name, text="\n\n".join(text for _, text, _ in entries),
                    passages=passages, title=title, publisher="Debrief", kind=kind)
