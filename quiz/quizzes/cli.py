"""``flask quizzes`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quiz.quizzes.services import close_overdue

quizzes_cli = AppGroup("quizzes", help="Quiz upkeep.")


@quizzes_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Finish and grade every attempt whose time is up (run it from a timer or cron every minute)."""
    closed = close_overdue()
    click.echo(f"Closed {closed} overdue attempt{'s' if closed != 1 else ''}.")
