"""Find what a sentence is about: people, countries, organisations, places, treaties, events,
dates and figures, with no statistical model.

Sources, strongest first: the unit's topic pack (names, kinds, aliases, attributes), titles in
the text ("Russian President Vladimir Putin" makes a person with a country and a role), the small
lists shipped in ``data/`` (countries with demonyms, places, organisations), and shape rules
(capitalised runs ending in "Council", "Institute", "Treaty", "War"...; acronyms; dates; figures
followed by what they count). Everything is a regular expression over the sentence, so the
offsets are exact character offsets into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

ENTITY_KINDS = ("person", "country", "organisation", "place", "treaty", "event")
"""Kinds that name something; ``date`` and ``number`` are the other two mention kinds."""

HEDGES = (
    "up to", "as many as", "more than", "over", "about", "around", "approximately", "nearly",
    "almost", "at least", "some", "roughly", "fewer than", "less than", "an estimated",
    "close to", "under",
)
SENTENCE_HEDGES = ("reportedly", "reports suggest", "according to", "allegedly", "estimates",
                   "estimated", "is believed", "are believed", "claims", "claimed")

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_DATE_PATTERNS = [
    ("day", re.compile(rf"\b{_MONTH_RE} \d{{1,2}}(?:st|nd|rd|th)?, {_YEAR}\b")),
    ("day", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH_RE},? {_YEAR}\b")),
    ("month", re.compile(rf"\b{_MONTH_RE} {_YEAR}\b")),
    ("year", re.compile(rf"(?<![\d,./$£€-]){_YEAR}(?![\d%]|s\b|-\d|,\d)")),
]

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "dozens of": 24,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_NUMBER = re.compile(
    r"(?<![\w.,/-])(?P<currency>US\$|\$|£|€)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)"
    r"(?:\s(?P<scale>thousand|million|billion|trillion))?"
    r"(?P<pct>\s?%|\sper\s?cent|\spercent)?"
    r"(?![\w-]|[.,]\d)"
)
_UNIT_STOP = {
    "of", "to", "in", "on", "at", "by", "for", "and", "or", "the", "a", "an", "from", "with",
    "as", "is", "are", "was", "were", "has", "have", "had", "that", "which", "who", "since",
    "after", "before", "than", "per", "into", "it", "its", "their", "this", "these", "those",
    "be", "been", "will", "would", "can", "could", "may", "might", "more", "most", "other",
    "ago", "earlier", "later", "each", "every",
}

TITLES = (
    "Vice President", "President", "Prime Minister", "Foreign Minister", "Defence Minister",
    "Defense Minister", "Minister", "Secretary of State", "Secretary General", "Secretary-General",
    "Defense Secretary", "Defence Secretary", "Foreign Secretary", "National Security Adviser",
    "National Security Advisor", "Supreme Leader", "leader", "Leader", "Chancellor", "King",
    "Queen", "Premier", "Ambassador", "ambassador", "Senator", "Governor", "Chairman", "Chair",
    "General", "Admiral", "spokesperson", "spokesman", "spokeswoman", "Dr", "Dr.", "Mr", "Mr.",
    "Mrs", "Mrs.", "Ms", "Ms.", "Professor", "Prof.", "envoy", "Envoy", "Head of Intelligence",
    "secretary-general", "secretary general", "prime minister", "foreign minister",
    "defence minister", "defense minister", "president",
)
_NAME_PART = r"[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ]+)?"
_ORG_HEADS = (r"Council|Organi[sz]ation|Institute|Agency|Ministry|Department|Committee|"
              r"Commission|Party|Bank|Fund|Forum|Assembly|Parliament|Congress|Office|Bureau|"
              r"Alliance|Command|Service|Foundation|University|School|Centre|Center|Times|Post|"
              r"News|Guard|Army|Navy|Force|Forces")
_TREATY_HEADS = r"Treaty|Agreement|Pact|Partnership|Accord|Convention|Charter|Declaration"
_EVENT_HEADS = r"War|Summit|Crisis|Revolution|Conference|Olympics|Games"
_CAP_WORD = r"(?:[A-Z][\w'’-]*|of|the|and|for|on)"
_SHAPED = re.compile(
    rf"\b(?:The |the )?(?P<run>(?:[A-Z][\w'’-]*\s)(?:{_CAP_WORD}\s){{0,5}}?"
    rf"(?P<head>{_ORG_HEADS}|{_TREATY_HEADS}|{_EVENT_HEADS})(?:\s(?:II|I|III|IV))?)\b"
)
_ACRONYM = re.compile(r"(?<![\w.])([A-Z]{2,6}\d?|G\d{1,2})(?![\w.]|\.\w)")
_ACRONYM_STOP = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "OK", "TV", "AM", "PM", "AD",
                 "BC", "CEO", "ICBM", "SLBM", "GDP", "ID", "PDF", "URL", "FAQ", "USD", "EUR"}
_GENERIC_HEADS = {"War", "Times", "Post", "News", "Service", "Force", "Forces", "Army", "Navy",
                  "Office", "Party"}

STOP_CAPS = set(_MONTH_NAMES) | {
    "The", "A", "An", "In", "On", "At", "By", "For", "And", "But", "Or", "If", "As", "It", "Its",
    "This", "That", "These", "Those", "He", "She", "They", "We", "Our", "Their", "His", "Her",
    "However", "Meanwhile", "Moreover", "Since", "After", "Before", "While", "When", "With",
    "From", "Today", "Yesterday", "Western", "West", "East", "North", "South", "Cold", "Both",
    "Few", "Many", "Some", "Such", "Reports", "According", "Details", "Overall", "Similarly",
    "During", "Despite", "Under", "Through", "Against", "Among", "Following", "Amid", "Between",
    "Regarding", "Including", "Like", "Unlike", "Why", "What", "How", "Where", "Who",
}


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that could be asked about."""

    text: str
    start: int
    end: int
    kind: str
    key: str
    """Canonical name for named things; the ISO-ish date for dates; the value for numbers."""
    value: float | None = None
    unit: str = ""
    hedge: str = ""
    granularity: str = ""
    """For dates: ``day``, ``month`` or ``year``."""


@dataclass
class Entity:
    """Something named in the readings or the pack, with what is known about it."""

    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)
    count: int = 0
    from_pack: bool = False
    from_text: bool = False

    @property
    def short(self) -> str:
        """The surname-like short form used when the text says just "Putin"."""
        return short_name(self.name)


def norm(text: str) -> str:
    """A comparison key: lower case, hyphens and curly quotes flattened, ``the`` dropped."""
    text = text.replace("’", "'").replace("‘", "'").replace("-", " ").replace(".", "")
    text = re.sub(r"^the\s+", "", text.strip().lower())
    text = re.sub(r"'s$", "", text)
    return re.sub(r"\s+", " ", text)


_EAST_ASIAN_SURNAMES = {"Kim", "Park", "Lee", "Moon", "Yoon", "Xi", "Choe", "Choi", "Hu",
                        "Wang", "Li", "Zhang", "Ri", "Jang", "Chung"}


_EAST_ASIAN_NAME = re.compile(
    r"\b(?:Kim|Park|Moon|Yoon|Xi|Choe|Choi|Ri|Jang)(?:\s[A-Z][a-z]+(?:-[a-z]+)?){1,2}\b"
    r"(?<!Korea)(?<!Korean)"
)


def short_name(name: str) -> str:
    """"Vladimir Putin" -> "Putin"; "Kim Jong Un" -> "Kim" (family name first)."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return parts[0] if parts[0] in _EAST_ASIAN_SURNAMES else parts[-1]


# --------------------------------------------------------------------------- shipped lists


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Alias -> (kind, canonical name, demonyms) from the shipped lists."""
    table: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for filename, kind in (("countries.txt", "country"), ("places.txt", "place"),
                           ("organisations.txt", "organisation")):
        category = ""
        for line in (DATA / filename).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("## "):
                category = line[3:].strip()
                continue
            if not line or line.startswith("#"):
                continue
            if category:
                line = line.split(";")[0] + ";" + category
            names, _, demonyms = line.partition(";")
            aliases = [a.strip() for a in names.split("|") if a.strip()]
            canon = aliases[0]
            dems = tuple(d.strip() for d in demonyms.split("|") if d.strip())
            for alias in aliases:
                table.setdefault(alias, (kind, canon, dems))
    return table


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym ("Russian", "U.S.") -> country canonical name."""
    table: dict[str, str] = {}
    for _alias, (kind, canon, dems) in gazetteer().items():
        if kind == "country":
            for dem in dems:
                table.setdefault(dem, canon)
    return table


# --------------------------------------------------------------------------- the index


class EntityIndex:
    """Every entity known for one generation run, with a matcher built from all their names."""

    def __init__(self, topics=None) -> None:
        self.entities: dict[tuple[str, str], Entity] = {}
        self._alias: dict[str, tuple[str, str]] = {}  # surface form -> entity key
        self._regex: re.Pattern[str] | None = None
        self._flat: dict[str, tuple[str, str]] | None = None
        self.topics = topics
        for alias, (kind, canon, dems) in gazetteer().items():
            entity = self._add(canon, kind, alias)
            if kind in ("place", "organisation") and dems:
                entity.attributes["category"] = dems[0]
        for entity in getattr(topics, "entities", None) or []:
            kind = getattr(entity, "kind", "")
            if kind == "year":
                continue
            name = getattr(entity, "name", "")
            if not name or kind not in ENTITY_KINDS:
                continue
            known = self.lookup(name)
            target = known.name if known and known.kind == kind else name
            ent = self._add(target, kind, name)
            ent.from_pack = True
            attrs = getattr(entity, "attributes", None) or {}
            ent.attributes.update({k: str(v) for k, v in attrs.items() if v})
            for alias in getattr(entity, "aliases", None) or []:
                self._add(target, kind, alias)
            if kind == "person":
                self._add(target, kind, short_name(name), weak=True)

    def _add(self, name: str, kind: str, alias: str, *, weak: bool = False) -> Entity:
        key = (kind, norm(name))
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(name, kind)
        entity.aliases.add(alias)
        if not (weak and alias in self._alias and self._alias[alias] != key):
            self._alias.setdefault(alias, key)
        self._regex = None
        self._flat = None
        return entity

    def lookup(self, surface: str) -> Entity | None:
        """The entity a surface form names, if any."""
        key = self._alias.get(surface)
        if key is None:
            if self._flat is None:
                self._flat = {}
                for alias, target in self._alias.items():
                    self._flat.setdefault(norm(alias), target)
            key = self._flat.get(norm(surface))
        return self.entities.get(key) if key else None

    def matcher(self) -> re.Pattern[str]:
        """One alternation of every alias, longest first, on word boundaries."""
        if self._regex is None:
            aliases = sorted(self._alias, key=len, reverse=True)
            body = "|".join(re.escape(a) for a in aliases if len(a) > 1)
            self._regex = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
        return self._regex

    def learn(self, sentences: list[str]) -> None:
        """First pass over the readings: people from titles, organisations from shapes."""
        for sentence in sentences:
            known = [(m.start(), m.end()) for m in self.matcher().finditer(sentence)]
            for match in _title_person_regex().finditer(sentence):
                self._learn_person(match)
            for match in _SHAPED.finditer(sentence):
                run = match.group("run")
                head = match.group("head")
                words = run.split()
                while len(words) > 1 and (words[0] in STOP_CAPS or words[0].islower()):
                    words = words[1:]
                run = " ".join(words)
                if words[0] in STOP_CAPS or len(words) < 2 or words[0] == head:
                    continue
                if re.search(r"\b(?:and|of|the|for|on)$", run):
                    continue
                if any(a < match.end() and match.start() < b for a, b in known):
                    continue
                kind = ("treaty" if re.fullmatch(_TREATY_HEADS, head) else
                        "event" if re.fullmatch(_EVENT_HEADS, head) else "organisation")
                if self.lookup(run) is None:
                    self._add(run, kind, run).from_text = True
                    tail = sentence[match.end():match.end() + 12]
                    acro = re.match(r"\s\(([A-Z]{2,6})\)", tail)
                    if acro:
                        self._add(run, kind, acro.group(1))
            for match in _EAST_ASIAN_NAME.finditer(sentence):
                name = match.group(0)
                known = self.lookup(name)
                if known is None:
                    self._add(name, "person", name).from_text = True
                elif known.kind == "person":
                    known.from_text = True
                    self._add(known.name, "person", name)
            for match in _ACRONYM.finditer(sentence):
                acro = match.group(1)
                if acro in _ACRONYM_STOP or self.lookup(acro) is not None:
                    continue
                entity = self._add(acro, "organisation", acro)
                entity.from_text = True
                entity.attributes.setdefault("shape", "acronym")

    def _learn_person(self, match: re.Match[str]) -> None:
        name = match.group("name")
        while name.split()[-1] in STOP_CAPS and len(name.split()) > 1:
            name = name.rsplit(" ", 1)[0]
        if self.lookup(name) is not None and self.lookup(name).kind != "person":
            return
        existing = self.lookup(name)
        entity = existing if existing and existing.kind == "person" else None
        if entity is None:
            entity = self._add(name, "person", name)
        entity.from_text = True
        entity.aliases.add(name)
        self._alias.setdefault(name, (entity.kind, norm(entity.name)))
        self._flat = None
        short = short_name(name)
        if short != name and short not in self._alias:
            self._alias[short] = ("person", norm(entity.name))
            entity.aliases.add(short)
            self._regex = None
            self._flat = None
        role = match.group("title")
        owner = (match.group("owner") or "").strip()
        owner = re.sub(r"['’]s$", "", owner)
        attrs = entity.attributes
        attrs.setdefault("role", role.replace("-", " ").title() if role.islower() else role)
        attrs.setdefault("title", match.group(0)[: match.start("name") - match.start()].strip())
        if owner:
            country = demonyms().get(owner) or (self.lookup(owner).name if self.lookup(owner)
                                                and self.lookup(owner).kind == "country" else "")
            if country:
                attrs.setdefault("country", country)
            elif self.lookup(owner) is not None:
                attrs.setdefault("organisation", self.lookup(owner).name)

    def mentions(self, sentence: str) -> list[Mention]:
        """Every mention in a sentence, without overlaps (dates, then figures, then names)."""
        found: list[Mention] = []
        taken = [False] * (len(sentence) + 1)

        def free(a: int, b: int) -> bool:
            return not any(taken[a:b])

        def take(m: Mention) -> None:
            found.append(m)
            for i in range(m.start, m.end):
                taken[i] = True

        for granularity, pattern in _DATE_PATTERNS:
            for match in pattern.finditer(sentence):
                if free(match.start(), match.end()):
                    text = match.group(0)
                    take(Mention(text, match.start(), match.end(), "date", date_key(text),
                                 granularity=granularity))
        for match in _NUMBER.finditer(sentence):
            mention = self._number(sentence, match)
            if mention and free(mention.start, mention.end):
                take(mention)
        for match in self.matcher().finditer(sentence):
            text = match.group(0)
            if not free(match.start(), match.end()):
                continue
            entity = self.lookup(text)
            if entity is None:
                continue
            # A demonym-shaped alias ("U.S. troops") still names the country; keep it.
            entity.count += 1
            take(Mention(text, match.start(), match.end(), entity.kind, entity.name))
        found.sort(key=lambda m: m.start)
        return found

    def _number(self, sentence: str, match: re.Match[str]) -> Mention | None:
        raw = match.group("num")
        scale = match.group("scale")
        pct = match.group("pct")
        currency = match.group("currency") or ""
        if raw == "a" and not scale:
            return None
        if raw.lower() in _NUMBER_WORDS and not scale and not pct:
            # Small number words are too common ("two leaders") unless they count something.
            pass
        try:
            value = float(raw.replace(",", "")) if raw[0].isdigit() else float(
                _NUMBER_WORDS.get(raw.lower(), 1))
        except ValueError:
            return None
        if scale:
            value *= _SCALES[scale]
        if raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100 and not scale:
            return None  # a year: the date patterns own it
        end = match.end()
        unit = "%" if pct else currency
        if not unit:
            tail = sentence[end:]
            words = re.match(r"((?:\s(?:North |South )?[A-Z][a-z]+(?=\s[a-z]))?"
                             r"(?:\s[a-z][a-z-]+){1,2})", tail)
            if words:
                parts = words.group(1).split()
                kept: list[str] = []
                for word in parts:
                    if word.lower() in _UNIT_STOP:
                        break
                    kept.append(word)
                lower = [w for w in kept if w.islower()]
                # Without a tagger: "military shells", "foreign embassies" keep two words only
                # when the second looks like a plural noun and the first does not.
                if len(lower) == 2 and not (lower[1].endswith("s") and not lower[0].endswith("s")):
                    kept = kept[: kept.index(lower[0]) + 1]
                if kept and kept[0][0].isupper() and len(kept) == 1:
                    kept = []
                unit = " ".join(kept)
        if not unit and not scale:
            return None  # a bare figure ("number 3") says too little to ask about
        if raw.lower() in _NUMBER_WORDS and not scale and value < 10:
            return None  # "two leaders", "three points": counting words, not figures to learn
        start = match.start()
        hedge = ""
        before = sentence[:start].rstrip().lower()
        for candidate in HEDGES:
            if before.endswith(" " + candidate) or before == candidate:
                hedge = sentence[start - 1 - len(candidate):start - 1]
                break
        text = sentence[start:end]
        return Mention(text, start, end, "number", f"{value:g}", value=value,
                       unit=unit.strip(), hedge=hedge)


@lru_cache(maxsize=1)
def _title_person_regex() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    owners = sorted(set(demonyms()) | {a for a, v in gazetteer().items() if v[0] != "place"},
                    key=len, reverse=True)
    owner = "|".join(re.escape(o) for o in owners)
    return re.compile(
        rf"(?P<owner>(?:{owner}|[A-Z]{{2,6}})(?:['’]s)?\s)?(?P<title>{titles})\s"
        rf"(?P<name>{_NAME_PART}(?:\s{_NAME_PART}){{0,2}})"
    )


def date_key(text: str) -> str:
    """"June 19, 2024" -> "2024-06-19"; "February 2022" -> "2022-02"; "1961" -> "1961"."""
    year = re.search(_YEAR, text)
    if not year:
        return text
    month = re.search(_MONTH_RE, text)
    if not month:
        return year.group(0)
    m = [n[:3] for n in _MONTH_NAMES].index(month.group(0)[:3]) + 1
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", text.replace(year.group(0), ""))
    if day:
        return f"{year.group(0)}-{m:02d}-{int(day.group(1)):02d}"
    return f"{year.group(0)}-{m:02d}"


def month_name(number: int) -> str:
    """1 -> "January"."""
    return _MONTH_NAMES[number - 1]
