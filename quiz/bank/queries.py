"""Finding questions: the browser's filters, their counts, and what a teacher may read."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import case, func, or_, select

from question_bank.model import QUESTION_TYPES
from question_bank.models import Passage, Question, QuestionStatus, QuestionTag, Source, SourceKind, Unit
from quiz.auth.models import User
from quiz.bank.forms import DIFFICULTY_BANDS, TYPE_LABELS, options
from quiz.extensions import db


def readable_unit_ids(user: User):
    """A subquery of the ids of the units a teacher may read: their own and the shipped ones."""
    return select(Unit.id).where(or_(Unit.owner_id.is_(None), Unit.owner_id == user.id))


def _int(value: str | None) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _difficulty_expression():
    whens = [(Question.difficulty < high, name) for name, (_, high, _) in DIFFICULTY_BANDS.items()]
    return case(*whens, else_="hard")


@dataclass(frozen=True)
class QuestionFilter:
    """What the teacher asked to see; every field empty means everything they may read."""

    unit: int | None = None
    source: int | None = None
    type: str = ""
    tag: str = ""
    difficulty: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args, **fixed) -> QuestionFilter:
        """Read the filter from query arguments, ignoring values that mean nothing."""
        qtype = args.get("type") or ""
        status = args.get("status") or ""
        difficulty = args.get("difficulty") or ""
        values = cls(
            unit=_int(args.get("unit")), source=_int(args.get("source")),
            type=qtype if qtype in QUESTION_TYPES else "",
            tag=(args.get("tag") or "").strip().lower()[:60],
            difficulty=difficulty if difficulty in DIFFICULTY_BANDS else "",
            status=status if status in QuestionStatus.__members__.values() else "",
            q=(args.get("q") or "").strip()[:200])
        return replace(values, **fixed)

    def args(self, **changes) -> dict[str, str | int]:
        """The filter as query arguments (empty ones left out), with ``changes`` applied."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {name: value for name, value in values.items() if value not in (None, "")}

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self))

    def conditions(self, user: User, skip: str = "") -> list:
        """WHERE clauses for this filter (leaving out ``skip``, to count a facet's options)."""
        where = [Question.unit_id.in_(readable_unit_ids(user))]
        if self.unit is not None and skip != "unit":
            where.append(Question.unit_id == self.unit)
        if self.source is not None and skip != "source":
            where.append(Question.passage_id.in_(select(Passage.id).where(Passage.source_id == self.source)))
        if self.type and skip != "type":
            where.append(Question.type == self.type)
        if self.tag and skip != "tag":
            where.append(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == self.tag)))
        if self.difficulty and skip != "difficulty":
            low, high, _ = DIFFICULTY_BANDS[self.difficulty]
            where.extend([Question.difficulty >= low, Question.difficulty < high])
        if self.status and skip != "status":
            where.append(Question.status == self.status)
        if self.q and skip != "q":
            words = self.q.lower()
            where.append(or_(*(func.lower(column).contains(words, autoescape=True)
                               for column in (Question.stem, Question.answer, Question.explanation))))
        return where

    def query(self, user: User):
        """The questions matching the filter, best first."""
        return select(Question).where(*self.conditions(user)).order_by(
            Question.confidence.desc(), Question.id)


def facet_counts(flt: QuestionFilter, user: User) -> dict[str, dict]:
    """For each filter, how many questions each of its options would show (the others applied)."""

    def grouped(column, facet, *joins):
        query = select(column, func.count(Question.id.distinct()))
        for join in joins:
            query = query.join(*join)
        query = query.where(*flt.conditions(user, skip=facet)).group_by(column)
        return {key: count for key, count in db.session.execute(query) if key is not None}

    difficulty = _difficulty_expression()
    return {
        "unit": grouped(Question.unit_id, "unit"),
        "source": grouped(Passage.source_id, "source", (Passage, Question.passage_id == Passage.id)),
        "type": grouped(Question.type, "type"),
        "tag": grouped(QuestionTag.tag, "tag", (QuestionTag, QuestionTag.question_id == Question.id)),
        "difficulty": grouped(difficulty, "difficulty"),
        "status": grouped(Question.status, "status"),
    }


def _label(text: str, count: int) -> str:
    return f"{text} ({count})"


def fill_filter_choices(form, flt: QuestionFilter, user: User, counts: dict[str, dict]) -> None:
    """Give the filter form its options, each with its count, keeping the current choice listed."""
    units = db.session.scalars(select(Unit).where(Unit.id.in_(readable_unit_ids(user)))
                               .order_by(Unit.owner_id.is_not(None), Unit.title)).all()
    form.unit.choices = options([("", "All units")] + [
        (str(unit.id), _label(unit.title + (" (shipped)" if unit.owner_id is None else ""),
                              counts["unit"].get(unit.id, 0))) for unit in units])
    source_query = select(Source).where(Source.unit_id.in_(readable_unit_ids(user)),
                                        Source.kind == SourceKind.READING)
    if flt.unit is not None:
        source_query = source_query.where(Source.unit_id == flt.unit)
    sources = [s for s in db.session.scalars(source_query.order_by(Source.title))
               if s.id in counts["source"] or s.id == flt.source]
    form.source.choices = options([("", "All readings")] + [
        (str(s.id), _label((s.title or s.name)[:80], counts["source"].get(s.id, 0))) for s in sources])
    form.type.choices = options([("", "All types")] + [
        (name, _label(TYPE_LABELS[name], counts["type"].get(name, 0))) for name in QUESTION_TYPES
        if name in counts["type"] or name == flt.type])
    tags = sorted(counts["tag"].items(), key=lambda item: (-item[1], item[0]))[:60]
    if flt.tag and flt.tag not in counts["tag"]:
        tags.append((flt.tag, 0))
    form.tag.choices = options([("", "All tags")] + [(tag, _label(tag, count)) for tag, count in tags])
    form.difficulty.choices = options([("", "Any difficulty")] + [
        (name, _label(name.capitalize(), counts["difficulty"].get(name, 0))) for name in DIFFICULTY_BANDS])
    form.status.choices = options([("", "Any status")] + [
        (status.value, _label(status.value.capitalize(), counts["status"].get(status.value, 0)))
        for status in QuestionStatus])
    for name in ("unit", "source", "type", "tag", "difficulty", "status", "q"):
        value = getattr(flt, name)
        getattr(form, name).data = "" if value is None else str(value)
