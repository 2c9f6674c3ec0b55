"""Bank workflows: units, readings, generation, authoring, review, copying, import and export."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import func, select

from question_bank.formats import FORMATS, FormatError, detect_format, dumps, loads
from question_bank.generation import generate
from question_bank.model import Citation, Document
from question_bank.model import Passage as PlainPassage
from question_bank.model import Question as PlainQuestion
from question_bank.models import (
    Passage,
    Question,
    QuestionEvent,
    QuestionOrigin,
    QuestionStatus,
    Source,
    SourceKind,
    Unit,
)
from question_bank.readings import read_document, read_text
from question_bank.units import GlossaryTerm, TimelineEvent, TopicPack, load_unit, shipped_units
from quiz.auth.models import User
from quiz.debates.services import add_unit_prompts
from quiz.extensions import db

REPO = Path(__file__).resolve().parents[2]
SHIPPED_APPROVAL_CONFIDENCE = 0.85
"""Questions of a shipped unit at or above this confidence arrive approved; the rest as drafts."""


class BankError(Exception):
    """A bank action that cannot be done, with a message for the teacher."""


def material_dir() -> Path | None:
    """Where the original articles of the shipped units are, if this installation has them."""
    folder = Path(os.environ.get("DEBRIEF_MATERIAL", REPO.parent / "shared" / "material"))
    return folder if folder.is_dir() else None


# --------------------------------------------------------------------------- documents


def add_document(unit: Unit, document: Document, *, kind: str = SourceKind.READING,
                 user: User | None = None, passage_tags: Callable[[PlainPassage], list[str]] | None = None,
                 ) -> Source:
    """Store a document and its passages in the unit (the caller commits); refuses the same text twice."""
    duplicate = db.session.scalar(select(Source).where(
        Source.unit_id == unit.id, Source.content_hash == document.content_hash)) if unit.id else None
    if duplicate is not None:
        raise BankError(f"This text is already in the unit as “{duplicate.title or duplicate.name}”.")
    source = Source(unit=unit, kind=kind, name=_unique_source_name(unit, document.name),
                    title=document.title[:300],
                    publisher=document.publisher[:200], author=document.author[:200],
                    published=document.date[:10], url=document.url[:500], text=document.text,
                    content_hash=document.content_hash, added_by_id=user.id if user else None)
    for passage in document.passages:
        source.passages.append(Passage(
            index=passage.index, start=passage.start, end=passage.end, text=passage.text,
            heading=passage.heading[:300], source_refs=list(passage.sources),
            tags=passage_tags(passage) if passage_tags else []))
    db.session.add(source)
    return source


def _unique_source_name(unit: Unit, name: str) -> str:
    """``name``, or ``name-2.txt`` and so on when the unit already has a source of that name:
    citations find their passage by source name, so names stay unique within a unit."""
    taken = {source.name for source in unit.sources}
    if name not in taken:
        return name
    path = PurePath(name)
    number = 2
    while f"{path.stem}-{number}{path.suffix}" in taken:
        number += 1
    return f"{path.stem}-{number}{path.suffix}"


def add_reading(unit: Unit, user: User, data: bytes, filename: str, **metadata: str) -> Source:
    """Import an uploaded file as a reading of the unit; ReadingError or BankError store nothing."""
    document = read_document(data, filename)
    for key, value in metadata.items():
        if value:
            setattr(document, key, value)
    source = add_document(unit, document, user=user)
    db.session.commit()
    return source


def as_document(source: Source) -> Document:
    """A stored source back as the generator's plain Document."""
    return Document(
        name=source.name, text=source.text, title=source.title, publisher=source.publisher,
        author=source.author, date=source.published, url=source.url, kind=source.kind,
        passages=[PlainPassage(index=p.index, text=p.text, start=p.start, end=p.end, heading=p.heading,
                               sources=tuple(p.source_refs or ())) for p in source.passages])


# --------------------------------------------------------------------------- units


def _unit_row(unit_data, owner: User | None) -> Unit:
    return Unit(
        slug=unit_data.slug, title=unit_data.title, subject=unit_data.subject, summary=unit_data.summary,
        owner=owner, is_shipped=owner is None, tags=list(unit_data.tags),
        source_list=[vars(source).copy() for source in unit_data.sources],
        glossary=[vars(term).copy() for term in unit_data.glossary],
        timeline=[vars(event).copy() for event in unit_data.timeline],
        topic_pack=unit_data.topics.to_dict(),
        prompts=[vars(prompt).copy() for prompt in unit_data.prompts])


def shipped_unit(slug: str) -> Unit | None:
    """The shipped unit with this slug, if loaded."""
    return db.session.scalar(select(Unit).where(Unit.slug == slug, Unit.owner_id.is_(None)))


def load_unit_folder(path: Path, *, material: Path | None = None, seed: int = 0,
                     progress: Callable[[Iterable], Iterable] | None = None) -> Unit:
    """Load a shipped unit: its notes, glossary and timeline, the original articles when
    ``material`` has them, and the questions generated from all of it."""
    unit_data = load_unit(path)
    unit = _unit_row(unit_data, owner=None)
    db.session.add(unit)
    for document in unit_data.documents():
        kind = document.kind if document.kind in SourceKind.__members__.values() else SourceKind.NOTES
        add_document(unit, document, kind=kind,
                     passage_tags=lambda p, name=document.name: unit_data.passage_tags(name, p.index))
    if material is not None:
        for meta in unit_data.sources:
            file = material / meta.file
            if not file.is_file():
                continue
            document = read_document(file.read_bytes(), meta.file)
            document.title, document.publisher = meta.title, meta.publisher
            document.author, document.date, document.url = meta.author, meta.date, meta.url or document.url
            add_document(unit, document)
    db.session.flush()
    add_unit_prompts(unit)
    generate_into_bank(unit, None, seed=seed, progress=progress,
                       approve_at=SHIPPED_APPROVAL_CONFIDENCE, commit=False)
    db.session.commit()
    return unit


def load_shipped_units(*, material: Path | None = None,
                       progress: Callable[[Iterable], Iterable] | None = None) -> list[Unit]:
    """Load every shipped unit not yet in the database; returns the ones loaded now."""
    loaded = []
    for folder in shipped_units():
        slug = load_unit(folder).slug
        if shipped_unit(slug) is None:
            loaded.append(load_unit_folder(folder, material=material, progress=progress))
    return loaded


# --------------------------------------------------------------------------- generation


@dataclass
class GenerationInputs:
    documents: list[Document]
    topics: TopicPack
    glossary: list[GlossaryTerm]
    timeline: list[TimelineEvent]
    tags: dict[tuple[str, int], list[str]]

    def tags_for(self, document: Document, passage: PlainPassage) -> list[str]:
        return self.tags.get((document.name, passage.index), [])


def generation_inputs(unit: Unit, sources: list[Source] | None = None) -> GenerationInputs:
    """What the generator needs from a stored unit: documents, topic pack, glossary, timeline, tags."""
    sources = sources if sources is not None else list(unit.sources)
    return GenerationInputs(
        documents=[as_document(source) for source in sources],
        topics=TopicPack.from_dict(unit.topic_pack or None, where=f"unit {unit.slug}"),
        glossary=[GlossaryTerm(**term) for term in unit.glossary or []],
        timeline=[TimelineEvent(**event) for event in unit.timeline or []],
        tags={(source.name, p.index): list(p.tags or []) for source in sources for p in source.passages})


def _passage_for(unit: Unit, question: PlainQuestion) -> Passage | None:
    if question.source is None:
        return None
    return db.session.scalar(
        select(Passage).join(Source).where(Source.unit_id == unit.id,
                                           Source.name == question.source.document,
                                           Passage.start == question.source.start))


def store_question(unit: Unit, plain: PlainQuestion, *, owner: User | None, origin: str,
                   status: str = QuestionStatus.DRAFT, user: User | None = None,
                   detail: dict | None = None) -> Question:
    """Add one plain question to the unit's bank with its first history event (the caller commits)."""
    question = Question(unit=unit, owner_id=owner.id if owner else None, origin=origin, status=status)
    question.set_from_plain(plain)
    question.passage = _passage_for(unit, plain)
    question.events.append(QuestionEvent(user_id=user.id if user else None, action=origin,
                                         detail=detail or {}))
    db.session.add(question)
    return question


def generate_into_bank(unit: Unit, user: User | None, *, source_ids: list[int] | None = None,
                       types: list[str] | None = None, max_questions: int | None = None, seed: int = 0,
                       progress: Callable[[Iterable], Iterable] | None = None,
                       approve_at: float | None = None, commit: bool = True) -> list[Question]:
    """Generate questions from the unit's sources (or some of them) and store the new ones as drafts.

    Questions the bank already holds (same fingerprint) are skipped, so generating twice adds
    nothing twice. ``approve_at`` approves questions at or above that confidence (shipped units).
    """
    sources = [s for s in unit.sources if source_ids is None or s.id in source_ids]
    if not sources:
        raise BankError("Choose at least one reading to generate questions from.")
    inputs = generation_inputs(unit, sources)
    result = generate(inputs.documents, types=types, max_questions=max_questions, seed=seed,
                      topics=inputs.topics, glossary=inputs.glossary, timeline=inputs.timeline,
                      tags_for=inputs.tags_for)
    known = set(db.session.scalars(select(Question.fingerprint).where(Question.unit_id == unit.id)))
    stored = []
    owner = unit.owner
    for plain in (progress or iter)(result.questions):
        if plain.fingerprint() in known:
            continue
        known.add(plain.fingerprint())
        approved = approve_at is not None and plain.confidence >= approve_at
        detail = {"seed": seed, "confidence": plain.confidence}
        question = store_question(unit, plain, owner=owner, origin=QuestionOrigin.GENERATED, user=user,
                                  status=QuestionStatus.APPROVED if approved else QuestionStatus.DRAFT,
                                  detail=detail)
        if approved:
            question.events.append(QuestionEvent(action="approved", detail={
                "reason": f"shipped unit: generator confidence at least {approve_at}"}))
        stored.append(question)
    if commit:
        db.session.commit()
    return stored


# --------------------------------------------------------------------------- units of teachers


def slugify(text: str) -> str:
    """A URL-safe lower-case slug of ``text`` (at most 60 characters)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "unit"


def _free_slug(owner: User, title: str) -> str:
    base = slugify(title)
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.owner_id == owner.id)))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_unit(owner: User, title: str, subject: str = "", summary: str = "") -> Unit:
    """Start a teacher's own unit, the container for readings and questions."""
    unit = Unit(slug=_free_slug(owner, title), title=title, subject=subject, summary=summary,
                owner=owner, is_shipped=False, tags=[], source_list=[], glossary=[], timeline=[],
                topic_pack={}, prompts=[])
    db.session.add(unit)
    db.session.commit()
    return unit


def update_unit(unit: Unit, title: str, subject: str, summary: str) -> Unit:
    """Rename a unit or change its subject and summary."""
    unit.title, unit.subject, unit.summary = title, subject, summary
    db.session.commit()
    return unit


def _copy_source(source: Source, target: Unit, user: User) -> tuple[Source, dict[int, Passage]]:
    copy = Source(kind=source.kind, name=source.name, title=source.title,
                  publisher=source.publisher, author=source.author, published=source.published,
                  url=source.url, text=source.text, content_hash=source.content_hash,
                  added_by_id=user.id)
    mapping = {}
    for passage in source.passages:
        new = Passage(index=passage.index, start=passage.start, end=passage.end, text=passage.text,
                      heading=passage.heading, tags=list(passage.tags or []),
                      source_refs=list(passage.source_refs or []))
        copy.passages.append(new)
        mapping[passage.id] = new
    target.sources.append(copy)
    return copy, mapping


def _copy_question_row(question: Question, target: Unit, user: User, passage: Passage | None,
                       status: str) -> Question:
    copy = Question(unit=target, owner_id=user.id, origin=QuestionOrigin.COPIED, status=status)
    copy.set_from_plain(question.to_plain())
    copy.passage = passage
    copy.events.append(QuestionEvent(user_id=user.id, action=QuestionOrigin.COPIED, detail={
        "from_question": question.id, "from_unit": question.unit_id}))
    db.session.add(copy)
    return copy


COPIED_STATUSES = (QuestionStatus.APPROVED, QuestionStatus.DRAFT)
"""Copying a unit takes its approved questions and its drafts; rejected and retired ones stay behind."""


def copy_unit(unit: Unit, user: User) -> Unit:
    """Copy a unit (a shipped one, usually) into the teacher's own bank, with its readings and its
    approved and draft questions, which keep their status and their links to passages."""
    copy = Unit(slug=_free_slug(user, unit.slug), title=unit.title, subject=unit.subject,
                summary=unit.summary, owner=user, is_shipped=False, tags=list(unit.tags or []),
                source_list=list(unit.source_list or []), glossary=list(unit.glossary or []),
                timeline=list(unit.timeline or []), topic_pack=dict(unit.topic_pack or {}),
                prompts=list(unit.prompts or []))
    db.session.add(copy)
    passages: dict[int, Passage] = {}
    with db.session.no_autoflush:
        for source in list(unit.sources):
            passages.update(_copy_source(source, copy, user)[1])
    db.session.flush()
    questions = db.session.scalars(select(Question).where(
        Question.unit_id == unit.id, Question.status.in_(COPIED_STATUSES)).order_by(Question.id))
    for question in questions:
        _copy_question_row(question, copy, user, passages.get(question.passage_id), question.status)
    db.session.commit()
    return copy


def own_units(user: User) -> list[Unit]:
    """The teacher's own units, by title."""
    return list(db.session.scalars(select(Unit).where(Unit.owner_id == user.id).order_by(Unit.title)))


def copy_question(question: Question, target: Unit | None, user: User) -> Question:
    """Copy one question into a unit of the teacher's (a new “My questions” unit when ``target`` is None).

    The copy keeps its status when approved (else it is a draft), and cites the same passage
    when the target unit holds the same reading.
    """
    if target is None:
        target = db.session.scalar(select(Unit).where(Unit.owner_id == user.id,
                                                      Unit.slug == "my-questions"))
        if target is None:
            target = Unit(slug="my-questions", title="My questions", subject="", summary=(
                "Questions copied from other units."), owner=user, is_shipped=False, tags=[],
                source_list=[], glossary=[], timeline=[], topic_pack={}, prompts=[])
            db.session.add(target)
            db.session.flush()
    if not target.editable_by(user):
        raise BankError("You can copy questions only into your own units.")
    passage = None
    if question.passage is not None:
        passage = db.session.scalar(select(Passage).join(Source).where(
            Source.unit_id == target.id, Source.content_hash == question.passage.source.content_hash,
            Passage.index == question.passage.index))
    status = QuestionStatus.APPROVED if question.status == QuestionStatus.APPROVED else QuestionStatus.DRAFT
    copy = _copy_question_row(question, target, user, passage, status)
    db.session.commit()
    return copy


# --------------------------------------------------------------------------- readings


PASTE_EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html"}


def add_pasted_reading(unit: Unit, user: User, text: str, fmt: str = "text", **metadata: str) -> Source:
    """Store pasted text (plain, Markdown or HTML) as a reading; ReadingError or BankError store nothing."""
    name = slugify(metadata.get("title") or text.strip().splitlines()[0] if text.strip() else "reading")
    document = read_text(text, name + PASTE_EXTENSIONS.get(fmt, ".txt"), fmt)
    for key, value in metadata.items():
        if value:
            setattr(document, key, value)
    source = add_document(unit, document, user=user)
    db.session.commit()
    return source


def source_questions(source: Source) -> list[Question]:
    """The questions that cite a passage of this source."""
    return list(db.session.scalars(
        select(Question).join(Passage, Question.passage_id == Passage.id)
        .where(Passage.source_id == source.id).order_by(Question.id)))


def delete_source(source: Source, user: User, *, retire_questions: bool) -> int:
    """Delete a reading. Its questions keep their citation text (the passage link clears); with
    ``retire_questions`` those not yet retired or rejected are retired. Returns how many cite it."""
    questions = source_questions(source)
    for question in questions:
        if retire_questions and question.status in (QuestionStatus.DRAFT, QuestionStatus.APPROVED):
            _record_status(question, user, QuestionStatus.RETIRED,
                           reason=f"its reading “{source.title or source.name}” was deleted")
        question.passage = None
    db.session.delete(source)
    db.session.commit()
    return len(questions)


def generate_from_source(source: Source, user: User, types: list[str], count: int) -> list[Question]:
    """Generate up to ``count`` new draft questions of ``types`` from one reading.

    The seed moves on with the bank's size, so asking again offers new questions rather than
    the ones already stored.
    """
    seed = db.session.scalar(select(func.count(Question.id)).where(Question.unit_id == source.unit_id))
    return generate_into_bank(source.unit, user, source_ids=[source.id], types=types or None,
                              max_questions=count, seed=seed or 0)


# --------------------------------------------------------------------------- authoring


EDITABLE_FIELDS = ("stem", "answer", "choices", "accepted", "pairs", "items", "tolerance", "unit",
                   "explanation", "tags", "difficulty", "title")


def citation_for(passage: Passage) -> Citation:
    """The citation of a whole passage, as generated questions have it."""
    source = passage.source
    return Citation(document=source.name, title=source.title or source.name, passage=passage.text,
                    start=passage.start, end=passage.end)


def _comparable(plain: PlainQuestion) -> dict:
    data = plain.to_dict()
    data["pairs"] = [list(pair) for pair in plain.pairs]
    return {name: data[name] for name in EDITABLE_FIELDS}


def _cited(citation: Citation | None) -> str | None:
    return f"{citation.title or citation.document} ({citation.start}–{citation.end})" if citation else None


def create_question(unit: Unit, user: User, plain: PlainQuestion, passage: Passage | None) -> Question:
    """Store a hand-written question as a draft of the unit, citing ``passage`` if given."""
    if not unit.editable_by(user):
        raise BankError("You can add questions only to your own units.")
    plain.source = citation_for(passage) if passage is not None else None
    question = store_question(unit, plain, owner=user, origin=QuestionOrigin.AUTHORED, user=user)
    question.passage = passage
    db.session.commit()
    return question


def update_question(question: Question, user: User, plain: PlainQuestion, passage: Passage | None,
                    *, keep_citation: bool = False) -> bool:
    """Save a teacher's edit: bump the version and record what changed (before and after).

    Returns False, and records nothing, when nothing changed. ``keep_citation`` keeps a citation
    whose reading was deleted (there is no passage left to pick).
    """
    if not question.unit.editable_by(user):
        raise BankError("Only the unit's owner can edit its questions.")
    before = question.to_plain()
    if keep_citation and passage is None:
        plain.source = before.source
    elif passage is not None and passage.id == question.passage_id:
        plain.source = before.source
    else:
        plain.source = citation_for(passage) if passage is not None else None
    plain.confidence = question.confidence
    changed = {name: {"before": old, "after": new}
               for (name, old), new in zip(_comparable(before).items(), _comparable(plain).values(),
                                           strict=True) if old != new}
    if plain.source != before.source:
        changed["citation"] = {"before": _cited(before.source), "after": _cited(plain.source)}
    if not changed:
        return False
    question.set_from_plain(plain)
    if not (keep_citation and passage is None):
        question.passage = passage
    question.version += 1
    question.events.append(QuestionEvent(user_id=user.id, action="edited", detail={
        "version": question.version, "changed": changed}))
    db.session.commit()
    return True


# --------------------------------------------------------------------------- review


TRANSITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "approve": (QuestionStatus.APPROVED, (QuestionStatus.DRAFT, QuestionStatus.REJECTED)),
    "reject": (QuestionStatus.REJECTED, (QuestionStatus.DRAFT,)),
    "retire": (QuestionStatus.RETIRED, (QuestionStatus.APPROVED,)),
    "restore": (QuestionStatus.DRAFT, (QuestionStatus.REJECTED, QuestionStatus.RETIRED)),
}
"""Review actions: the status each one sets, and the statuses it may start from."""

EVENT_FOR_STATUS = {QuestionStatus.APPROVED: "approved", QuestionStatus.REJECTED: "rejected",
                    QuestionStatus.RETIRED: "retired", QuestionStatus.DRAFT: "restored"}


def _record_status(question: Question, user: User, status: str, reason: str = "") -> None:
    detail = {"from": question.status}
    if reason:
        detail["reason"] = reason
    question.status = status
    question.events.append(QuestionEvent(user_id=user.id, action=EVENT_FOR_STATUS[status], detail=detail))


def review(question: Question, user: User, action: str) -> Question:
    """Approve, reject, retire or restore one question, recording who did it."""
    if not question.unit.editable_by(user):
        raise BankError("Only the unit's owner can review its questions.")
    status, allowed = TRANSITIONS[action]
    if question.status not in allowed:
        raise BankError(f"This question is {question.status}: it cannot be {EVENT_FOR_STATUS[status]}.")
    _record_status(question, user, status)
    db.session.commit()
    return question


def review_many(questions: Iterable[Question], user: User, action: str) -> int:
    """Apply one review action to every question it fits (all in one commit); returns how many changed."""
    status, allowed = TRANSITIONS[action]
    changed = 0
    for question in questions:
        if question.unit.editable_by(user) and question.status in allowed:
            _record_status(question, user, status, reason="bulk review")
            changed += 1
    db.session.commit()
    return changed


# --------------------------------------------------------------------------- import and export


@dataclass
class ImportResult:
    added: list[Question]
    duplicates: int
    fmt: str


def import_questions(unit: Unit, user: User, data: bytes, filename: str, fmt: str | None = None,
                     ) -> ImportResult:
    """Import a GIFT, Aiken or Debrief JSON file as drafts: all or nothing.

    Raises BankError (with the line and what was expected) and stores nothing when the file is
    not UTF-8 text or any question in it is malformed. Questions the unit already holds (same
    content) are skipped, so importing an export back adds nothing twice.
    """
    if not unit.editable_by(user):
        raise BankError("You can import only into your own units.")
    if not data.strip():
        raise BankError(f"“{filename}” is empty: there are no questions in it.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankError(f"“{filename}” is not UTF-8 text. Save it as UTF-8 (Moodle's exports are) "
                        "and try again.") from error
    try:
        fmt = fmt or detect_format(filename, text)
        questions = loads(text, fmt)
    except FormatError as error:
        raise BankError(f"“{filename}” was not imported: {error}. Nothing was stored.") from error
    if not questions:
        raise BankError(f"“{filename}” holds no questions.")
    known = set(db.session.scalars(select(Question.fingerprint).where(Question.unit_id == unit.id)))
    added, duplicates = [], 0
    for plain in questions:
        if plain.fingerprint() in known:
            duplicates += 1
            continue
        known.add(plain.fingerprint())
        added.append(store_question(unit, plain, owner=user, origin=QuestionOrigin.IMPORTED, user=user,
                                    detail={"file": filename, "format": fmt}))
    db.session.commit()
    return ImportResult(added=added, duplicates=duplicates, fmt=fmt)


def export_questions(questions: Iterable[Question], fmt: str) -> tuple[str, int]:
    """The questions written in ``fmt``, and how many the format had to leave out (Aiken).

    Raises BankError when the format cannot hold them (GIFT refuses rather than lose meaning).
    """
    if fmt not in FORMATS:
        raise BankError(f"Unknown format “{fmt}”.")
    plain = [question.to_plain() for question in questions]
    left_out = sum(1 for q in plain if q.type not in FORMATS[fmt].writes)
    if fmt == "aiken":
        from question_bank.formats import aiken

        left_out = len(aiken.dump(plain)[1])
    try:
        return dumps(plain, fmt), left_out
    except FormatError as error:
        raise BankError(f"These questions cannot be written as {FORMATS[fmt].label}: {error}.") from error
