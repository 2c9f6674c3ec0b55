"""The clock the debate, discussion and essay services read; tests replace ``now`` to move time."""

from __future__ import annotations

from datetime import datetime

from quiz.database import utcnow


def now() -> datetime:
    """The current aware UTC time."""
    return utcnow()
