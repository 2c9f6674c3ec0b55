"""Wrong answers of the right kind: dates for dates, figures for figures, people for people.

Named things come from the readings first (what the class has just read), then the topic pack,
then the shipped lists. A candidate is refused when it is the answer under another name, when
the sentence already names it, when the pack says it conflicts (also true), when the passage
lists it beside the answer, or when swapping it in reproduces a sentence the readings state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from question_bank.generation.entities import (
    Entity,
    EntityIndex,
    Mention,
    date_key,
    month_name,
    norm,
    short_name,
)

_ARTICLE_COUNTRIES = {"United States", "United Kingdom", "Netherlands", "Philippines",
                      "Soviet Union", "Czech Republic"}


@dataclass
class Pools:
    """What the readings mention, gathered once per run."""

    index: EntityIndex
    topics: object | None = None
    numbers: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    sentences_by_key: dict[str, list[str]] = field(default_factory=dict)
    conflict_cache: dict[tuple[str, str, str], bool] = field(default_factory=dict)
    _canonical: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        """The pack's canonical form of a name (cached: the pack's own lookup is linear)."""
        if name not in self._canonical:
            find = getattr(self.topics, "find", None)
            entity = find(name) if find else None
            self._canonical[name] = norm(entity.name if entity is not None else name)
        return self._canonical[name]

    def note(self, sentence: str, mentions: list[Mention]) -> None:
        """Remember a sentence's figures, dates and named things."""
        for m in mentions:
            if m.kind == "number":
                self.numbers.append(m)
            elif m.kind == "date":
                self.dates.append(m)
            else:
                self.sentences_by_key.setdefault(m.key, []).append(sentence)


def _names(entity: Entity) -> set[str]:
    return {norm(a) for a in entity.aliases | {entity.name}}


def same_thing(a: str, b: str, index: EntityIndex) -> bool:
    """True when two surface forms name the same thing (alias lists, then fuzzy match)."""
    na, nb = norm(a), norm(b)
    if na == nb:
        return True
    ea, eb = index.lookup(a), index.lookup(b)
    if ea is not None and eb is not None and ea is eb:
        return True
    forms_a = _names(ea) if ea else {na}
    forms_b = _names(eb) if eb else {nb}
    if forms_a & forms_b:
        return True
    return any(fuzz.ratio(x, y) >= 88 for x in forms_a for y in forms_b)


_LIST_GAP = re.compile(r"(?:[\s,;/]|\band\b|\bor\b|\bthe\b|[A-Z][\w.’'-]*)*")


def _listed_with(passage: str, answer: str, candidate: str) -> bool:
    # "North Korea, Iran, and China are supporting..." states all three in the same role.
    for sentence in re.split(r"(?<=[.!?])\s+", passage):
        if answer not in sentence or candidate not in sentence:
            continue
        a, c = sentence.index(answer), sentence.index(candidate)
        lo, hi = (a + len(answer), c) if a < c else (c + len(candidate), a)
        between = sentence[lo:hi]
        if len(between) <= 60 and re.fullmatch(_LIST_GAP, between):
            return True
    return False


def _restates(sentence: str, answer: str, candidate: str, pools: Pools, key: str) -> bool:
    swapped = sentence.replace(answer, candidate, 1)
    for other in pools.sentences_by_key.get(key, []):
        if other != sentence and fuzz.token_sort_ratio(swapped, other) >= 85:
            return True
    return False


def _conflicts(pools: Pools, answer: str, candidate: str, passage: str) -> bool:
    """The pack's ``conflicts_with``, answered from its conflict list with cached name lookups."""
    topics = pools.topics
    check = getattr(topics, "conflicts_with", None)
    if check is None:
        return False
    conflicts = getattr(topics, "conflicts", None)
    if conflicts is None:  # a pack without a readable list: ask it directly
        key = (answer, candidate, passage)
        if key not in pools.conflict_cache:
            try:
                pools.conflict_cache[key] = bool(check(answer, candidate, passage))
            except Exception:  # noqa: BLE001 - a pack's rule failing must not stop generation
                pools.conflict_cache[key] = False
        return pools.conflict_cache[key]
    a, b = pools.canonical(answer), pools.canonical(candidate)
    if a == b:
        return True
    for conflict in conflicts:
        members = {pools.canonical(name) for name in getattr(conflict, "entities", [])}
        if a in members and b in members:
            applies = getattr(conflict, "applies_to", None)
            if applies is None or applies(passage):
                return True
    return False


def entity_candidates(mention: Mention, sentence: str, passage: str, pools: Pools,
                      limit: int = 3) -> list[str]:
    """Up to ``limit`` wrong names of the mention's kind, best first, styled like the answer."""
    index = pools.index
    answer = index.lookup(mention.text) or index.entities.get((mention.kind, norm(mention.key)))
    attrs = answer.attributes if answer else {}
    short_form = (mention.kind == "person" and len(mention.text.split()) == 1
                  and answer is not None and answer.name != mention.text)
    acronym = re.fullmatch(r"[A-Z][A-Z0-9.]{1,7}", mention.text) is not None
    scored: list[tuple[float, str, Entity]] = []
    for entity in index.entities.values():
        if entity.kind != mention.kind or entity is answer:
            continue
        if not (entity.from_text or entity.from_pack or entity.count):
            # Shipped-list entries the readings never mention come last, but still count.
            base = 0.0
        else:
            base = 2.0 + (1.0 if entity.from_text or entity.count else 0.0)
        score = base + min(entity.count, 10) * 0.1
        other = entity.attributes
        if attrs.get("country") and other.get("country") == attrs.get("country"):
            score += 3
        if attrs.get("role") and other.get("role", "").lower() == attrs.get("role", "").lower():
            score += 2
        if attrs.get("organisation") and other.get("organisation") == attrs.get("organisation"):
            score += 2
        if mention.kind == "person" and not short_form and len(entity.name.split()) < 2:
            continue
        if attrs.get("category") and other.get("category") != attrs.get("category"):
            continue  # a city is no distractor for a region
        if other.get("shape") == "acronym":
            score -= 2.5  # an unexplained acronym from the text is a weak wrong answer
        scored.append((score, entity.name, entity))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[str] = []
    for _score, name, entity in scored:
        display = entity.short if short_form else name
        if acronym and mention.kind != "person":
            # Answer written as initials ("G7"): offer initials too when the entity has them.
            display = next((a for a in sorted(entity.aliases)
                            if re.fullmatch(r"[A-Z][A-Z0-9.]{1,7}", a)), name)
        if any(alias and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", sentence)
               for alias in entity.aliases | {entity.name, entity.short}):
            continue
        if same_thing(display, mention.text, index) or any(
                same_thing(display, c, index) for c in chosen):
            continue
        if _conflicts(pools, answer.name if answer else mention.text, entity.name, passage):
            continue
        if _listed_with(passage, mention.text, display):
            continue
        if _restates(sentence, mention.text, display, pools, mention.key):
            continue
        chosen.append(display)
        if len(chosen) >= limit:
            break
    return chosen


# --------------------------------------------------------------------------- figures


def _sig_round(value: float, digits: int) -> float:
    if value == 0:
        return 0
    from math import floor, log10

    scale = 10 ** (floor(log10(abs(value))) - digits + 1)
    return round(value / scale) * scale


def _significant(text: str) -> int:
    digits = re.sub(r"\D", "", text.split(".")[0]).rstrip("0")
    return max(1, len(digits))


_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def format_like(value: float, like: str) -> str:
    """Write a figure the way the answer is written ("12,000", "a million", "5%")."""
    scale_match = re.search(r"\b(thousand|million|billion|trillion)\b", like)
    suffix = "%" if like.rstrip().endswith("%") else ""
    prefix = re.match(r"^(US\$|\$|£|€)?", like).group(0)
    if scale_match:
        word = scale_match.group(1)
        base = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}[word]
        amount = value / base
        if amount == 0.5:
            return f"{prefix}half a {word}"
        if amount == int(amount) and amount <= 10 and not like[:1].isdigit():
            return f"{prefix}{_SMALL[int(amount)]} {word}"
        text = f"{amount:g}"
        return f"{prefix}{text} {word}"
    if value == int(value):
        number = int(value)
        text = f"{number:,}" if ("," in like or number >= 10000) else str(number)
    else:
        text = f"{value:,.1f}" if "," in like else f"{value:.1f}"
    return f"{prefix}{text}{suffix}"


def number_candidates(mention: Mention, sentence: str, pools: Pools, limit: int = 3) -> list[str]:
    """Figures of the same unit and magnitude, readings first, then scaled from the answer."""
    value = mention.value or 0.0
    chosen: list[str] = []
    seen = {value}
    unit_key = norm(mention.unit).split(" ")[-1] if mention.unit else ""
    for other in pools.numbers:
        other_unit = norm(other.unit).split(" ")[-1] if other.unit else ""
        if other_unit != unit_key or other.value in seen or other.value is None:
            continue
        ratio = other.value / max(value, 1e-9)
        if not (0.2 <= ratio <= 5) or other.text in sentence:
            continue
        if 0.6 <= ratio <= 1.6:
            continue  # probably the same quantity counted by another source: not clearly wrong
        seen.add(other.value)
        chosen.append(format_like(other.value, mention.text))
    digits = _significant(mention.text) if mention.text[:1].isdigit() else 1
    if value < 30 and value == int(value):
        raw = [value + 2, value - 2, value + 4, value - 4, value + 6, round(value * 1.5),
               value // 2]
    else:
        raw = [_sig_round(value * f, max(digits, 1)) for f in (0.75, 1.5, 0.5, 2, 1.25, 3, 0.25)]
    for candidate in raw:
        if candidate <= 0 or candidate in seen:
            continue
        seen.add(candidate)
        chosen.append(format_like(candidate, mention.text))
    return chosen[:limit]


# --------------------------------------------------------------------------- dates


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def format_date_like(key: str, like: str) -> str:
    """Write an ISO-ish key ("2024-06-12") in the answer's own form ("June 12, 2024")."""
    parts = [int(p) for p in key.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    year, month = parts[0], parts[1]
    month_text = re.search(r"[A-Z][a-z]+\.?", like)
    full = month_name(month)
    name = full[:3] + ("." if month_text and month_text.group(0).endswith(".") else "") if (
        month_text and len(month_text.group(0).rstrip(".")) == 3 and full != "May") else full
    if len(parts) == 2:
        return f"{name} {year}"
    day = parts[2]
    if re.match(r"^\d", like):
        comma = "," if re.search(r"[A-Za-z],", like) else ""
        return f"{day} {name}{comma} {year}"
    return f"{name} {day}, {year}"


def date_candidates(mention: Mention, sentence: str, pools: Pools, limit: int = 3) -> list[str]:
    """Nearby dates of the same granularity: the readings' own first, then shifted ones."""
    key = mention.key
    chosen: list[str] = []
    seen = {key}
    year = int(key[:4])
    same = [d for d in pools.dates if d.granularity == mention.granularity and d.key not in seen
            and d.text not in sentence and abs(int(d.key[:4]) - year) <= 20]
    same.sort(key=lambda d: (abs(int(d.key[:4]) - year), d.key))
    for other in same:
        if other.key in seen:
            continue
        seen.add(other.key)
        chosen.append(format_date_like(other.key, mention.text))
        if len(chosen) >= 2:
            break  # leave room for close shifts, so the choices are not all from one era
    shifted: list[str] = []
    if mention.granularity == "year":
        shifted = [str(year + d) for d in (-3, 2, 5, -6, 8, -10)]
    elif mention.granularity == "month":
        month = int(key[5:7])
        for delta in (-2, 3, 12, -12, 1, -4):
            y, m = _shift_month(year, month, delta)
            shifted.append(f"{y}-{m:02d}")
    else:
        month, day = int(key[5:7]), int(key[8:10])
        for dm, dd in ((0, -7), (1, 0), (0, 6), (-1, 0), (12, 0), (0, -12)):
            y, m = _shift_month(year, month, dm)
            d = min(max(day + dd, 1), 28)
            shifted.append(f"{y}-{m:02d}-{d:02d}")
    for other in shifted:
        if other in seen:
            continue
        seen.add(other)
        chosen.append(format_date_like(other, mention.text))
    return [c for c in chosen if c not in sentence][:limit]


def candidates(mention: Mention, sentence: str, passage: str, pools: Pools,
               limit: int = 3) -> list[str]:
    """Wrong answers for any mention kind."""
    if mention.kind == "number":
        return number_candidates(mention, sentence, pools, limit)
    if mention.kind == "date":
        return date_candidates(mention, sentence, pools, limit)
    return entity_candidates(mention, sentence, passage, pools, limit)


__all__ = ["Pools", "candidates", "date_key", "format_like", "format_date_like", "same_thing",
           "short_name"]
