"""Students' Markdown as safe HTML, and word counts."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
                "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
WORD = re.compile(r"[\w’'-]+", re.UNICODE)

_markdown = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
             .disable(["image", "html_block", "html_inline"]))


def render_markdown(text: str) -> Markup:
    """``text`` as HTML: a small Markdown subset, no raw HTML, links marked nofollow noopener."""
    html = _markdown.render(text or "")
    # Headings are demoted so a post never outranks the page's own headings.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener")
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)


def word_count(text: str) -> int:
    """Words in ``text``, counted the way a reader would."""
    return len(WORD.findall(text or ""))
