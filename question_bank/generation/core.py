"""Readings in, cited questions out: overgenerate from every sentence, filter, rank, select."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from question_bank.generation import filters
from question_bank.generation.distractors import Pools, candidates, format_date_like, format_like
from question_bank.generation.entities import TITLES, EntityIndex, Mention, date_key, norm
from question_bank.generation.nlp import sentences as split_sentences
from question_bank.model import QUESTION_TYPES, Citation, Document, Passage, Question

GENERATED_TYPES = tuple(t for t in QUESTION_TYPES if t != "essay")
BLANK = "_____"
NEAR_DUPLICATE = 90
"""rapidfuzz ``token_set_ratio`` between two stems at or above which the lower-ranked one goes."""

_SKIP_HEADINGS = re.compile(
    r"end ?notes|references|sources|bibliography|footnotes|disclaimer|questions|key terms|"
    r"glossary|further reading|about the author", re.I)
_CONNECTIVE = re.compile(r"^(?:However|Moreover|Similarly|Meanwhile|Nonetheless|Furthermore|"
                         r"Thus|Overall|Additionally|In addition|In return|Still),\s+")
MAX_STEM_WORDS = 45
"""Longer statements make stems nobody reads to the end; they are dropped."""
_SKIP_PASSAGES = re.compile(r"^(?:disclaimer|editor's note|correction|copyright)\b", re.I)
_LABEL = re.compile(r"^([A-Z0-9][\w’'/-]*(?: [\w’'/-]+){0,5}): (?=[A-Z“\"])")
_TITLE_BEFORE = re.compile(
    r"(?:(?:[A-Z][\w.]*(?:['’]s)? ){0,2})?(?:" + "|".join(
        re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r") $", re.I)
_TITLE_AFTER = re.compile(
    r"(?:['’]s)? (?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    + r")\b", re.I)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|by|for|with|to|from|in|on|at|against|between|including|like|into|over|about|"
    r"toward|towards|through|among|under|after|before|during|via) $")
_SPECULATION = re.compile(r"\b(?:might|may|could|would|should|likely|perhaps|potentially|"
                          r"possibly|seems|appears to)\b", re.I)
_WH = {"person": "who", "country": "which country", "organisation": "which organisation",
       "place": "which place", "treaty": "which agreement", "event": "which event"}
_TYPE_DIFFICULTY = {"true_false": 0.25, "multiple_choice": 0.4, "matching": 0.45,
                    "ordering": 0.55, "cloze": 0.6, "numeric": 0.65, "short_answer": 0.7}
_WIDE_HEDGES = ("about", "around", "approximately", "nearly", "almost", "roughly", "some",
                "an estimated", "close to")


@dataclass
class GenerationResult:
    """What ``generate`` returns: the questions, best first, and counts of what happened."""

    questions: list[Question]
    stats: dict = field(default_factory=dict)


@dataclass
class _Sentence:
    doc: Document
    passage: Passage
    text: str
    offset: int
    order: int
    tags: list[str]
    mentions: list[Mention] = field(default_factory=list)
    resolved: bool = False
    """True when a leading "He"/"She" was replaced by the person the previous sentence names."""


@dataclass
class _Candidate:
    question: Question
    score: float
    group: str
    statement: str
    answers: list[str] = field(default_factory=list)
    """Every form of the answer, to check the stem does not give it away."""
    common: bool = False
    """The answer is one of the readings' main subjects (named in most sentences)."""


# --------------------------------------------------------------------------- entry point


def generate(
    documents: list[Document],
    *,
    types: Iterable[str] | None = None,
    max_questions: int | None = None,
    seed: int = 0,
    topics=None,
    glossary=None,
    timeline=None,
    tags_for: Callable[[Document, Passage], Iterable[str]] | None = None,
) -> GenerationResult:
    """Make cited questions of the requested types from documents (readings and unit notes)."""
    started = time.perf_counter()
    wanted = list(dict.fromkeys(types or GENERATED_TYPES))
    unknown = [t for t in wanted if t not in GENERATED_TYPES]
    if unknown:
        raise ValueError(f"cannot generate question type(s): {', '.join(unknown)}")
    dropped: Counter[str] = Counter()
    sentences = _collect_sentences(documents, tags_for)
    index = EntityIndex(topics)
    index.learn([s.text for s in sentences])
    pools = Pools(index, topics)
    previous: list[Mention] = []
    last_passage = None
    for sentence in sentences:
        if sentence.passage is not last_passage:
            previous, last_passage = [], sentence.passage
        resolved = _resolve_pronoun(sentence.text, previous)
        if resolved != sentence.text:
            sentence.text, sentence.resolved = resolved, True
        sentence.mentions = index.mentions(sentence.text)
        pools.note(sentence.text, sentence.mentions)
        previous = sentence.mentions
    frequent = _frequent_keys(sentences)

    built: list[_Candidate] = []
    for sentence in sentences:
        built.extend(_sentence_questions(sentence, pools, wanted, seed, frequent, dropped))
    if "matching" in wanted:
        built.extend(_matching_questions(documents, sentences, index, glossary, seed, tags_for))
    if "ordering" in wanted:
        built.extend(_ordering_questions(documents, sentences, timeline, seed, tags_for))

    generated = Counter(c.question.type for c in built)
    passed = []
    for candidate in built:
        reason = _reject_reason(candidate)
        if reason:
            dropped[reason] += 1
        else:
            passed.append(candidate)
    chosen = _select(passed, wanted, max_questions, dropped)
    questions = [c.question for c in chosen]
    stats = {
        "documents": len(documents),
        "sentences": len(sentences),
        "generated": sum(generated.values()),
        "kept": len(questions),
        "dropped": dict(sorted(dropped.items())),
        "generated_per_type": {t: generated.get(t, 0) for t in wanted},
        "per_type": {t: sum(1 for q in questions if q.type == t) for t in wanted},
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return GenerationResult(questions, stats)


def unit_inputs(unit) -> dict:
    """Keyword arguments for ``generate`` from a loaded unit (``question_bank.units.Unit``).

    Use as ``generate(readings + extra["documents"], **rest)``, or simply
    ``generate_with_unit(readings, unit)``.
    """
    documents = unit.documents()
    names = {doc.name for doc in documents}

    def tags_for(doc: Document, passage: Passage) -> list[str]:
        if doc.name not in names:
            return []
        try:
            return list(unit.passage_tags(doc.name, passage.index))
        except (KeyError, IndexError):
            return []

    return {"documents": documents, "topics": unit.topics, "glossary": unit.glossary,
            "timeline": unit.timeline, "tags_for": tags_for}


def generate_with_unit(readings: list[Document], unit, **options) -> GenerationResult:
    """``generate`` over readings plus a unit's notes, glossary, timeline and topic pack."""
    inputs = unit_inputs(unit)
    documents = [*readings, *inputs.pop("documents")]
    return generate(documents, **inputs, **options)


# --------------------------------------------------------------------------- sentences


def _collect_sentences(documents: list[Document], tags_for) -> list[_Sentence]:
    found: list[_Sentence] = []
    for doc in documents:
        if doc.kind in ("glossary", "timeline"):
            continue  # their entries become matching and ordering questions instead
        for passage in doc.passages:
            skip = _SKIP_HEADINGS.search(passage.heading or "")
            if skip or re.search(r"https?://", passage.text) or _SKIP_PASSAGES.match(passage.text):
                continue
            tags = list(tags_for(doc, passage)) if tags_for else []
            for start, end in split_sentences(passage.text):
                raw = passage.text[start:end]
                label = _LABEL.match(raw)
                if label and _title_case(label.group(1)):
                    start += label.end()
                    raw = raw[label.end():]
                connective = _CONNECTIVE.match(raw)
                if connective and raw[connective.end():connective.end() + 1].isupper():
                    # "However, North Korea has..." reads as a fact once the link word goes.
                    start += connective.end()
                    raw = raw[connective.end():]
                found.append(_Sentence(doc, passage, raw, start, len(found), tags))
    return found


def _title_case(label: str) -> bool:
    # "Cold War and Soviet Support" is a run-in heading; "Putin said" is not.
    small = {"and", "of", "the", "for", "in", "on", "to", "a", "with", "vs"}
    return all(w[:1].isupper() or w[:1].isdigit() or w in small for w in label.split())


def _resolve_pronoun(text: str, previous: list[Mention]) -> str:
    """"He added..." -> "Blinken added..." when the sentence before names exactly one person."""
    match = re.match(r"^(He|She) (?=[a-z])", text)
    people = {m.key: m for m in previous if m.kind == "person"}
    if not match or len(people) != 1:
        return text
    mention = next(iter(people.values()))
    return mention.text + text[len(match.group(1)):]


def _frequent_keys(sentences: list[_Sentence]) -> set[str]:
    # The unit's subjects ("Russia", "North Korea") are in most sentences: weak answers.
    seen: Counter[str] = Counter()
    for s in sentences:
        seen.update({m.key for m in s.mentions if m.kind not in ("number", "date")})
    limit = max(3, len(sentences) * 0.12)
    return {key for key, n in seen.items() if n >= limit}


def _citation(sentence: _Sentence) -> Citation:
    p = sentence.passage
    return Citation(sentence.doc.name, sentence.doc.title, p.text, p.start, p.end)


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random("\x1f".join([str(seed), *parts]))


# --------------------------------------------------------------------------- sentence questions


def _accepted(mention: Mention, pools: Pools) -> list[str]:
    forms = [mention.text]
    if mention.kind == "number":
        digits = mention.text.replace(",", "")
        forms += [digits, f"{int(mention.value):,}" if mention.value == int(mention.value or 0)
                  else digits, str(int(mention.value)) if mention.value == int(mention.value or 0)
                  else digits]
    elif mention.kind == "date":
        forms.append(mention.key)
    else:
        entity = pools.index.lookup(mention.text)
        if entity is not None:
            forms += sorted(entity.aliases | {entity.name})
    out: list[str] = []
    for form in forms:
        for variant in (form, form.lower()):
            if variant and variant not in out:
                out.append(variant)
    return out


def _span_with_article(text: str, start: int) -> int:
    before = text[:start]
    match = re.search(r"(?:^|\s)([Tt]he )$", before)
    return start - len(match.group(1)) if match else start


def _wh_stem(sentence: _Sentence, mention: Mention, pools: Pools) -> tuple[str, str] | None:
    """A question form of the sentence asking for the mention, and the answer span; or None."""
    text = sentence.text
    if text.rstrip()[-1:] in "”\"’'":
        return None  # ends inside a quotation: a question mark would land in the quote
    body = text.rstrip()[:-1] if text.rstrip()[-1:] in ".!" else None
    if body is None:
        return None
    start, end = mention.start, mention.end
    answer = mention.text
    if mention.kind == "number":
        unit = mention.unit
        if not unit:
            return None
        if mention.hedge:
            start -= len(mention.hedge) + 1
            answer = text[start:mention.end]
        unit_at = body.find(unit, mention.end)
        if unit_at < 0 or unit_at - mention.end > 3:
            return None
        end = unit_at + len(unit)
        wh = "what percentage" if unit == "%" else ("how much" if unit in "$£€US$" else
                                                  f"how many {unit}")
        if unit == "%":
            end = mention.end
    elif mention.kind == "date":
        wh = {"year": "which year", "month": "which month and year", "day": "which date"}[
            mention.granularity]
        fronted = re.match(rf"^(In|On|By|During) {re.escape(mention.text)},\s+", body)
        if fronted:
            rest = body[fronted.end():]
            if not rest[:1].isupper():
                return None
            return f"{rest} {fronted.group(1).lower()} {wh}?", answer
        if not re.search(r"\b(?:in|on|by|during)\s$", body[:start]):
            return None
    else:
        wh = _WH.get(mention.kind)
        if wh is None:
            return None
        entity = pools.index.lookup(mention.text)
        if mention.kind == "place" and entity is not None:
            wh = {"city": "which city", "region": "which region"}.get(
                entity.attributes.get("category", ""), wh)
        start = _span_with_article(body, start)
        if mention.kind == "person":
            titled = _TITLE_BEFORE.search(body[:start])
            if titled:
                start = titled.start()  # "NATO secretary-general Jens Stoltenberg" -> "who"
        if mention.kind == "person" and body[end:end + 2] in ("’s", "'s"):
            end += 2
            wh = "whose"
        if re.match(r",? (?:and|or) ", body[end:]) or re.search(r"(?:,| and| or) $", body[:start]):
            return None  # "Putin and who signed..." reads badly; cloze covers coordinated names
        if mention.kind != "person" and _TITLE_AFTER.match(body[end:]):
            return None  # "NATO secretary-general X said": the name qualifies a title
        if mention.kind == "person" and re.search(r"\b(?:also|too|as well)\b", body):
            return None  # "Who also attended...": another person may be just as right
        if start > 0 and not _PREPOSITION_BEFORE.search(body[:start]) and not (
                body[:start].endswith(", ") and "," not in body[:start - 2]):
            return None  # mid-clause "who" ("the rewards who has extracted") is not English
        if wh == "who" and _PREPOSITION_BEFORE.search(body[:start]):
            wh = "whom"
    stem = body[:start] + wh + body[end:]
    if start == 0:
        stem = stem[0].upper() + stem[1:]
    if start > 0 and body[start - 1] not in " (“\"":
        return None
    return stem.rstrip(" ,;:") + "?", answer


def _explain(sentence: _Sentence, lead: str) -> str:
    return f"{lead} The reading “{sentence.doc.title or sentence.doc.name}” says: “{sentence.text}”"


def _difficulty(qtype: str, sentence: _Sentence, mention: Mention | None, rare: bool) -> float:
    value = _TYPE_DIFFICULTY[qtype]
    words = len(sentence.text.split())
    value += 0.1 if words > 30 else 0.0
    value += 0.1 if rare else -0.05
    if mention is not None and mention.kind in ("number", "date"):
        value += 0.05
    return round(min(max(value, 0.05), 0.95), 2)


def _confidence(sentence: _Sentence, mention: Mention, frequent: set[str]) -> float:
    value = 0.9
    words = len(sentence.text.split())
    if words > 35:
        value -= 0.15
    elif words > 26:
        value -= 0.05
    if any(q in sentence.text for q in "“\""):
        value -= 0.08
    if mention.kind in ("number", "date"):
        value += 0.05
    elif mention.kind in ("person", "organisation", "treaty", "event"):
        value += 0.03
    elif mention.kind == "country":
        value -= 0.05
    if mention.key in frequent:
        value -= 0.2
    return round(min(max(value, 0.05), 1.0), 2)


def _sentence_questions(sentence: _Sentence, pools: Pools, wanted: list[str], seed: int,
                        frequent: set[str], dropped: Counter[str]) -> list[_Candidate]:
    out: list[_Candidate] = []
    text = sentence.text
    citation = _citation(sentence)
    group = f"{sentence.doc.name}:{sentence.passage.start + sentence.offset}"
    passage_text = sentence.passage.text
    speculative = bool(_SPECULATION.search(text))
    for mention in sentence.mentions:
        if text[mention.end:mention.end + 2] == " (" or _inside_brackets(text, mention.start):
            dropped["beside_bracketed_alias"] += 1
            continue  # "the Institute (ASPI)": swapping or blanking one half contradicts the other
        entity = pools.index.lookup(mention.text) if mention.kind in _WH else None
        if entity is not None and entity.attributes.get("shape") == "acronym":
            dropped["unexplained_acronym"] += 1
            continue  # an outlet's initials ("KSG") are trivia, not civics
        base = _confidence(sentence, mention, frequent)
        rare = len(pools.sentences_by_key.get(mention.key, [])) <= 1
        tags = list(dict.fromkeys([*sentence.tags, mention.kind]))
        wrong = candidates(mention, text, passage_text, pools, limit=3)
        accepted = _accepted(mention, pools)

        def make(qtype: str, stem: str, answer: str, score: float, *, mention=mention,
                 tags=tags, rare=rare, answers=accepted, **extra) -> None:
            question = Question(
                type=qtype, stem=stem, answer=answer, source=citation, tags=tags,
                difficulty=_difficulty(qtype, sentence, mention, rare),
                confidence=round(min(max(score, 0.05), 1.0), 2), **extra)
            out.append(_Candidate(question, score, group, text, answers,
                                  mention.key in frequent))

        if "cloze" in wanted:
            stem = text[:mention.start] + BLANK + text[mention.end:]
            make("cloze", stem, mention.text, base - 0.02, accepted=list(accepted),
                 explanation=_explain(sentence, f"The missing words are “{mention.text}”."))
        wh = _wh_stem(sentence, mention, pools)
        if wh and "multiple_choice" in wanted:
            stem, answer = wh
            if len(wrong) >= 3:
                if mention.kind == "number" and mention.hedge:
                    options = [f"{mention.hedge} {w}" for w in wrong[:3]]
                else:
                    options = wrong[:3]
                choices = [answer, *options]
                _rng(seed, "mc", stem).shuffle(choices)
                make("multiple_choice", stem, answer, base,
                     choices=choices, explanation=_explain(sentence, f"The answer is {answer}."))
            else:
                dropped["no_distractors"] += 1
        if wh and "short_answer" in wanted and mention.kind not in ("number", "date"):
            stem, answer = wh
            make("short_answer", stem, answer, base - 0.05, accepted=list(accepted),
                 explanation=_explain(sentence, f"The answer is {answer}."))
        if "numeric" in wanted and (mention.kind == "number" or (
                mention.kind == "date" and mention.granularity == "year")):
            question = _numeric(sentence, mention, wh)
            if question:
                stem, answer, tolerance, unit, written = question
                make("numeric", stem, answer, base, tolerance=tolerance, unit=unit,
                     accepted=written,
                     explanation=_explain(sentence, f"The figure is {' '.join(written[-1:])}."))
        if "true_false" in wanted and speculative:
            dropped["speculative_statement"] += 1
        elif "true_false" in wanted:
            rng = _rng(seed, "tf", group, mention.text)
            if wrong and rng.random() < 0.5:
                swap = wrong[rng.randrange(len(wrong))]
                false_text = _substitute(text, mention, swap)
                make("true_false", f"True or false: {false_text}", "false", base - 0.05,
                     explanation=_explain(
                         sentence, f"False: the reading gives {mention.text}, not {swap}."))
            else:
                make("true_false", f"True or false: {text}", "true", base - 0.08,
                     explanation=_explain(sentence, "True."))
    return out


def _inside_brackets(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


def _numeric(sentence: _Sentence, mention: Mention, wh) -> tuple | None:
    text = sentence.text
    if mention.kind == "date":
        if not wh:
            return None
        return wh[0], mention.key, 0.0, "", [mention.text]
    body = text.rstrip()
    if body[-1:] not in ".!" or not mention.unit or mention.unit in ("%",):
        return None
    unit_at = body.find(mention.unit, mention.end)
    if unit_at < 0 or unit_at - mention.end > 3:
        return None
    end = unit_at + len(mention.unit)
    stem = body[:mention.start] + f"how many {mention.unit}" + body[end:-1]
    if mention.start == 0:
        stem = stem[0].upper() + stem[1:]
    value = mention.value or 0.0
    answer = str(int(value)) if value == int(value) else f"{value:g}"
    tolerance = 0.0
    if mention.hedge.lower() in _WIDE_HEDGES:
        tolerance = float(round(value * 0.1, 2))
    written = [mention.text]
    if mention.hedge:
        written.append(f"{mention.hedge} {mention.text}")
    unit = mention.unit.split()[-1]
    return stem.rstrip(" ,;:") + "?", answer, tolerance, unit, written


def _substitute(text: str, mention: Mention, replacement: str) -> str:
    before = text[:mention.start]
    # "the United States" needs its article; "the Japan" must lose it.
    needs_article = replacement in ("United States", "United Kingdom", "Netherlands",
                                    "Philippines", "Soviet Union")
    has_article = re.search(r"\b[Tt]he $", before) is not None
    if mention.kind == "country" and has_article and not needs_article:
        before = before[:-4]
    elif mention.kind == "country" and needs_article and not has_article:
        replacement = ("The " if mention.start == 0 else "the ") + replacement
    result = before + replacement + text[mention.end:]
    return result[0].upper() + result[1:] if result else result


# --------------------------------------------------------------------------- matching


_DEFINITION = re.compile(r"^([A-Z][\w’' /-]{1,40}): ((?:An?|The) .{20,})$")
_MATCHING_STEMS = (
    "Match each term with its definition.",
    "Pair every key word below with the meaning that fits it.",
    "Which description goes with which concept? Link them up.",
    "Connect these glossary entries to what they mean.",
)
_ROLE_STEMS = (
    "Match each person named in the readings with the position they hold.",
    "Link these public figures to their official roles.",
)


def _short_definition(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "…"


def _find_passage(documents: list[Document], *needles: str) -> tuple[Document, Passage] | None:
    for prefer in (("glossary", "timeline"), ("notes", "reading")):
        for doc in documents:
            if doc.kind not in prefer:
                continue
            for passage in doc.passages:
                if all(n and n.lower() in passage.text.lower() for n in needles):
                    return doc, passage
    return None


def _matching_questions(documents, sentences, index: EntityIndex, glossary, seed,
                        tags_for) -> list[_Candidate]:
    terms: list[tuple[str, str, Document, Passage]] = []
    seen: set[str] = set()
    for item in glossary or []:
        term = getattr(item, "term", "") or (item.get("term", "") if isinstance(item, dict) else "")
        definition = getattr(item, "definition", "") or (
            item.get("definition", "") if isinstance(item, dict) else "")
        if not term or not definition or norm(term) in seen:
            continue
        found = _find_passage(documents, term, definition[:40]) or _find_passage(documents, term)
        if found:
            seen.add(norm(term))
            terms.append((term, _short_definition(definition), *found))
    for doc in documents:
        for passage in doc.passages:
            match = _DEFINITION.match(passage.text)
            if not match or norm(match.group(1)) in seen:
                continue
            if not (_SKIP_HEADINGS.search(passage.heading or "") or doc.kind == "glossary"):
                continue
            seen.add(norm(match.group(1)))
            terms.append((match.group(1), _short_definition(match.group(2)), doc, passage))
    out: list[_Candidate] = []
    _rng(seed, "matching").shuffle(terms)
    for n, group in enumerate(_groups(terms, 5)):
        pairs = [(t, d) for t, d, _doc, _p in group]
        doc, passage = group[0][2], group[0][3]
        out.append(_group_candidate("matching", _MATCHING_STEMS[n % len(_MATCHING_STEMS)], doc,
                                    passage, tags_for, ["glossary"], 0.85, pairs=pairs,
                                    explanation="Definitions: " + "; ".join(
                                        f"{t}: {d}" for t, d in pairs)))
    out.extend(_role_matching(sentences, index, seed, tags_for))
    return out


def _role_matching(sentences, index: EntityIndex, seed, tags_for) -> list[_Candidate]:
    people = []
    titles: set[str] = set()
    for entity in sorted(index.entities.values(), key=lambda e: e.name):
        title = entity.attributes.get("title", "")
        if entity.kind != "person" or not entity.from_text or not title or norm(title) in titles:
            continue
        if re.search(r"\b(?:Dr|Mr|Mrs|Ms|Prof)\.?$", title):
            continue  # "Dr" is a courtesy, not a position
        where = next((s for s in sentences if f"{title} {entity.name}" in s.passage.text), None)
        if where is None:
            continue
        titles.add(norm(title))
        people.append((entity.name, re.sub(r"['’]s$", "", title), where))
    _rng(seed, "roles").shuffle(people)
    out = []
    for n, group in enumerate(_groups(people, 5)[:len(_ROLE_STEMS)]):
        pairs = [(name, title) for name, title, _s in group]
        where = group[0][2]
        out.append(_group_candidate("matching", _ROLE_STEMS[n], where.doc, where.passage,
                                    tags_for, ["person"], 0.8, pairs=pairs,
                                    explanation="In the readings: " + "; ".join(
                                        f"{t} {p}" for p, t in pairs)))
    return out


def _groups(items: list, size: int) -> list[list]:
    """Split into groups of 4 to 6 (a short tail joins the groups before it)."""
    if len(items) < 4:
        return []
    groups = [items[i:i + size] for i in range(0, len(items), size)]
    if len(groups[-1]) < 4:
        tail = groups.pop()
        for i, item in enumerate(tail):
            if len(groups[i % len(groups)]) < 6:
                groups[i % len(groups)].append(item)
    return groups


def _group_candidate(qtype, stem, doc, passage, tags_for, tags, score, **fields) -> _Candidate:
    extra = list(tags_for(doc, passage)) if tags_for else []
    question = Question(type=qtype, stem=stem,
                        source=Citation(doc.name, doc.title, passage.text, passage.start,
                                        passage.end),
                        tags=list(dict.fromkeys([*extra, *tags])),
                        difficulty=_TYPE_DIFFICULTY[qtype], confidence=score, **fields)
    return _Candidate(question, score, f"{qtype}:{stem}", stem)


# --------------------------------------------------------------------------- ordering


_ORDERING_STEMS = (
    "Put these events in chronological order, earliest first.",
    "Arrange the following developments from the oldest to the most recent.",
    "Sort these moments by when they happened, starting with the first.",
    "Which came first? Place the events below on a timeline in sequence.",
)


def _event_from_sentence(sentence: _Sentence) -> tuple[str, str] | None:
    dates = [m for m in sentence.mentions if m.kind == "date"]
    if len(dates) != 1:
        return None
    date = dates[0]
    text = sentence.text
    fronted = re.match(rf"^(?:In|On|By|During) {re.escape(date.text)},\s+", text)
    if fronted:
        event = text[fronted.end():]
    else:
        inner = re.search(rf",? (?:in|on) {re.escape(date.text)}(?=[\s,.;])", text)
        if not inner or re.search(r"\b(?:since|until|before|after)\s*$", text[:inner.start()]):
            return None
        event = text[:inner.start()] + text[inner.end():]
    event = event.strip()
    if fronted and event[:1].islower() and not re.match(r"\w+[A-Z]", event):
        event = event[0].upper() + event[1:]  # "In 2016, scientists..." -> "Scientists..."
    if not event[:1].isupper() or len(event.split()) > 28 or filters.statement_reason(event):
        return None
    return date.key, event


def _ordering_questions(documents, sentences, timeline, seed, tags_for) -> list[_Candidate]:
    events: list[tuple[str, str, Document, Passage]] = []
    for item in timeline or []:
        date = str(getattr(item, "date", "") or (item.get("date", "") if isinstance(item, dict)
                                                 else ""))
        text = getattr(item, "event", "") or (item.get("event", "") if isinstance(item, dict)
                                              else "")
        found = _find_passage(documents, text[:50]) if text else None
        if date and text and found:
            events.append((date, text, *found))
    for sentence in sentences:
        event = _event_from_sentence(sentence)
        if event:
            events.append((*event, sentence.doc, sentence.passage))
    unique: list[tuple[str, str, Document, Passage]] = []
    for event in sorted(events, key=lambda e: (e[0], e[1])):
        if any(fuzz.token_set_ratio(event[1], u[1]) >= 80 for u in unique):
            continue
        unique.append(event)
    rng = _rng(seed, "ordering")
    out: list[_Candidate] = []
    used: Counter[str] = Counter()
    for n in range(min(len(_ORDERING_STEMS), max(0, len(unique) // 3))):
        pool = sorted(unique, key=lambda e: (used[e[1]], rng.random()))
        group: list[tuple[str, str, Document, Passage]] = []
        for event in pool:
            if any(event[0].startswith(g[0]) or g[0].startswith(event[0]) for g in group):
                continue  # dates must be distinct and not nested ("2024" vs "2024-06")
            group.append(event)
            if len(group) == 5:
                break
        if len(group) < 4:
            break
        group.sort(key=lambda e: e[0])
        used.update(e[1] for e in group)
        first = group[0]
        out.append(_group_candidate(
            "ordering", _ORDERING_STEMS[n], first[2], first[3], tags_for, ["timeline"], 0.8,
            items=[e[1] for e in group],
            explanation="In order: " + "; ".join(f"{_show_date(e[0])}: {e[1]}" for e in group)))
    return out


def _show_date(key: str) -> str:
    return format_date_like(key, "June 19, 2024") if key.count("-") == 2 else (
        format_date_like(key, "June 2024") if "-" in key else key)


# --------------------------------------------------------------------------- ranking


def _reject_reason(candidate: _Candidate) -> str:
    question = candidate.question
    if question.type in ("matching", "ordering"):
        return ""
    reason = filters.statement_reason(candidate.statement)
    if reason:
        return reason
    if len(question.stem.split()) > MAX_STEM_WORDS:
        return "too_long"
    if question.type == "true_false":
        return ""
    answers = [question.answer, *question.accepted, *candidate.answers]
    if question.type == "numeric":
        answers = list(question.accepted)
    if candidate.common and question.type in ("multiple_choice", "short_answer", "cloze"):
        return "answer_too_common"
    if filters.answer_in_stem(question.stem, answers):
        return "answer_in_stem"
    if question.type == "multiple_choice":
        keys = {norm(c) for c in question.choices}
        if len(keys) != 4 or "" in keys:
            return "bad_choices"
    return ""


def _content_words(stem: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", stem.lower()) if len(w) > 3}


def _select(passed: list[_Candidate], wanted: list[str], max_questions: int | None,
            dropped: Counter[str]) -> list[_Candidate]:
    by_type: dict[str, list[_Candidate]] = {t: [] for t in wanted}
    for candidate in passed:
        by_type[candidate.question.type].append(candidate)
    for items in by_type.values():
        items.sort(key=lambda c: (-c.score, c.question.id))
    chosen: list[_Candidate] = []
    stems: list[str] = []
    by_word: dict[str, list[int]] = {}
    ids: set[str] = set()
    per_group: Counter[str] = Counter()
    limit = max_questions if max_questions is not None else 10**9
    cursors = {t: 0 for t in wanted}
    while len(chosen) < limit and any(cursors[t] < len(by_type[t]) for t in wanted):
        for qtype in wanted:
            items = by_type[qtype]
            while cursors[qtype] < len(items):
                candidate = items[cursors[qtype]]
                cursors[qtype] += 1
                question = candidate.question
                if question.id in ids:
                    dropped["duplicate"] += 1
                    continue
                if per_group[candidate.group] >= 2:
                    dropped["sentence_used"] += 1
                    continue
                words = _content_words(question.stem)
                near = Counter(i for w in words for i in by_word.get(w, ()))
                # Only stems sharing several content words can reach the threshold; compare those.
                pool = [stems[i] for i, n in near.items() if n >= min(3, len(words))]
                if pool and process.extractOne(question.stem, pool, scorer=fuzz.token_set_ratio,
                                               score_cutoff=NEAR_DUPLICATE):
                    dropped["near_duplicate"] += 1
                    continue
                for w in words:
                    by_word.setdefault(w, []).append(len(stems))
                chosen.append(candidate)
                stems.append(question.stem)
                ids.add(question.id)
                per_group[candidate.group] += 1
                break
            if len(chosen) >= limit:
                break
    chosen.sort(key=lambda c: -c.score)
    return chosen


__all__ = ["GENERATED_TYPES", "GenerationResult", "generate", "generate_with_unit", "unit_inputs",
           "date_key", "format_like"]
