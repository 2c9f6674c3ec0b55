"""``flask debates``: commands for prompts."""

from __future__ import annotations

import click
from sqlalchemy import select

from question_bank.models import Unit
from quiz.debates.models import Prompt
from quiz.debates.services import add_unit_prompts
from quiz.extensions import db


@click.group("debates")
def debates_cli() -> None:
    """Debate and essay prompts."""


@click.command("sync-prompts")
def sync_prompts() -> None:
    """Copy the prompts of units loaded before prompts had their own table (each unit once)."""
    done = set(db.session.scalars(select(Prompt.unit_id).distinct()))
    added = 0
    for unit in db.session.scalars(select(Unit).order_by(Unit.id)):
        if unit.id in done or not unit.prompts:
            continue
        added += len(add_unit_prompts(unit))
    db.session.commit()
    click.echo(f"Added {added} prompt{'s' if added != 1 else ''}.")


debates_cli.add_command(sync_prompts)
