"""Template filters."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup, escape


def school_zone() -> ZoneInfo:
    """The configured time zone of the school."""
    return ZoneInfo(current_app.config.get("TIMEZONE", "UTC"))


def to_utc(local: datetime | None) -> datetime | None:
    """A time typed into a form (school time, naive) as aware UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=school_zone()).astimezone(UTC)


def to_school(moment: datetime | None) -> datetime | None:
    """An aware time in the school's zone, naive, for filling a form."""
    return None if moment is None else moment.astimezone(school_zone()).replace(tzinfo=None)


def local_time(moment: datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """An aware time shown in the school's zone ("—" when there is none)."""
    return "—" if moment is None else moment.astimezone(school_zone()).strftime(fmt)


def highlight(text: str, phrase: str | None) -> Markup:
    """``text`` escaped, with the first occurrence of ``phrase`` (any case) marked."""
    text = text or ""
    if not phrase or not phrase.strip():
        return escape(text)
    match = re.search(re.escape(phrase.strip()), text, flags=re.IGNORECASE)
    if match is None:
        return escape(text)
    return (escape(text[:match.start()]) + Markup("<mark>") + escape(match.group(0))
            + Markup("</mark>") + escape(text[match.end():]))
