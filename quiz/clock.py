"""The one place the app asks the time, so tests can move it (``monkeypatch.setattr(clock, "now", ...)``)."""

from __future__ import annotations

from datetime import datetime

from quiz.database import utcnow


def now() -> datetime:
    """The current time, aware UTC."""
    return utcnow()
