"""``flask bank`` commands: load the shipped units, generate, import and export questions."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from question_bank.formats import FORMATS, FormatError, dumps, loads
from question_bank.generation import GENERATED_TYPES
from question_bank.model import QUESTION_TYPES
from question_bank.models import Question, QuestionOrigin, QuestionStatus, QuestionTag, Unit
from quiz.bank.services import (
    BankError,
    generate_into_bank,
    load_shipped_units,
    material_dir,
    store_question,
)
from quiz.extensions import db

bank_cli = AppGroup("bank", help="Units, readings and the question bank.")


def _progress(label: str):
    def wrap(items):
        items = list(items)
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar
    return wrap


def _find_unit(ref: str) -> Unit:
    unit = db.session.get(Unit, int(ref)) if ref.isdigit() else db.session.scalar(
        select(Unit).where(Unit.slug == ref).order_by(Unit.owner_id.is_not(None), Unit.id))
    if unit is None:
        raise click.ClickException(f"No unit {ref!r}; `flask bank units` lists them.")
    return unit


@bank_cli.command("load-units")
@click.option("--material", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with the units' original articles (default: ../shared/material if present).")
def load_units_command(material: Path | None) -> None:
    """Load the units shipped with Debrief that the database does not have yet."""
    material = material or material_dir()
    loaded = load_shipped_units(material=material, progress=_progress("Storing questions"))
    if not loaded:
        click.echo("The shipped units are already loaded.")
    for unit in loaded:
        count = len(db.session.scalars(select(Question.id).where(Question.unit_id == unit.id)).all())
        click.echo(f"Loaded unit “{unit.title}”: {len(unit.sources)} documents, {count} questions.")
    if material is None:
        click.echo("The original articles were not found, so only the unit's own notes were used.")


@bank_cli.command("units")
def units_command() -> None:
    """List the units with their ids and question counts."""
    for unit in db.session.scalars(select(Unit).order_by(Unit.id)):
        owner = unit.owner.email if unit.owner else "shipped"
        count = len(db.session.scalars(select(Question.id).where(Question.unit_id == unit.id)).all())
        click.echo(f"{unit.id:4}  {unit.slug:30} {count:5} questions  ({owner})")


@bank_cli.command("generate")
@click.option("--unit", "unit_ref", required=True, help="Unit id or slug.")
@click.option("--source", "source_ids", type=int, multiple=True, help="Only these source ids.")
@click.option("--types", help=f"Comma-separated types (default all): {', '.join(GENERATED_TYPES)}.")
@click.option("--max", "max_questions", type=click.IntRange(min=1), help="At most this many questions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same questions.")
def generate_command(unit_ref: str, source_ids: tuple[int, ...], types: str | None,
                     max_questions: int | None, seed: int) -> None:
    """Generate questions from a unit's readings into the bank, as drafts for review."""
    unit = _find_unit(unit_ref)
    wanted = [t.strip() for t in types.split(",")] if types else None
    try:
        stored = generate_into_bank(unit, None, source_ids=list(source_ids) or None, types=wanted,
                                    max_questions=max_questions, seed=seed,
                                    progress=_progress("Storing questions"))
    except (BankError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Added {len(stored)} draft questions to “{unit.title}”.")


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_ref", required=True, help="Unit id or slug to import into.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Default: from the file.")
def import_command(file: Path, unit_ref: str, fmt: str | None) -> None:
    """Import questions from a GIFT, Aiken or Debrief JSON file (all or nothing), as drafts."""
    from question_bank.formats import detect_format

    unit = _find_unit(unit_ref)
    text = file.read_text(encoding="utf-8-sig")
    try:
        questions = loads(text, fmt or detect_format(file.name, text))
    except FormatError as error:
        raise click.ClickException(f"{file.name}: {error} Nothing was imported.") from error
    for plain in questions:
        store_question(unit, plain, owner=unit.owner, origin=QuestionOrigin.IMPORTED,
                       detail={"file": file.name})
    db.session.commit()
    click.echo(f"Imported {len(questions)} questions into “{unit.title}” as drafts.")


@bank_cli.command("export")
@click.option("--unit", "unit_ref", help="Only this unit (id or slug).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="gift", show_default=True)
@click.option("--status", type=click.Choice([s.value for s in QuestionStatus]),
              default=QuestionStatus.APPROVED.value, show_default=True)
@click.option("--type", "qtype", type=click.Choice(QUESTION_TYPES), help="Only questions of this type.")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
def export_command(unit_ref: str | None, fmt: str, status: str, qtype: str | None, tag: str | None,
                   output) -> None:
    """Export questions as GIFT, Aiken or Debrief JSON."""
    query = select(Question).where(Question.status == status).order_by(Question.id)
    if unit_ref:
        query = query.where(Question.unit_id == _find_unit(unit_ref).id)
    if qtype:
        query = query.where(Question.type == qtype)
    if tag:
        query = query.where(Question.id.in_(select(QuestionTag.question_id).where(
            QuestionTag.tag == tag.strip().lower())))
    questions = [q.to_plain() for q in db.session.scalars(query)]
    try:
        output.write(dumps(questions, fmt))
    except FormatError as error:
        raise click.ClickException(str(error)) from error
