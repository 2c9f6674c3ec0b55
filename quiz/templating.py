"""Template filters."""

from __future__ import annotations

import re

from markupsafe import Markup, escape


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
