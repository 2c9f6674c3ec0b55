"""Bank workflows: load the shipped units, add readings, generate questions into the bank."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from question_bank.generation import generate
from question_bank.model import Document
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
from question_bank.readings import read_document
from question_bank.units import GlossaryTerm, TimelineEvent, TopicPack, load_unit, shipped_units
from quiz.auth.models import User
from quiz.debates.services import add_unit_prompts
from quiz.extensions import db

REPO = Path(__file__).resolve().parents[2]
SHIPPED_APPROVAL_CONFIDENCE = 0.75
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
    source = Source(unit=unit, kind=kind, name=document.name, title=document.title[:300],
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
