"""Readings in: turn an uploaded or pasted article into a ``Document`` split into passages.

Formats: plain text (``.txt``), Markdown (``.md``), HTML (``.html``/``.htm``) and PDF (``.pdf``,
through its text layer). Files without an extension are sniffed (``%PDF-``, ``<html``); a
``.txt`` file that is plainly Markdown (two or more ``#`` headings) is read as Markdown.

The stored ``Document.text`` is the *cleaned* text: page furniture dropped, hard-wrapped lines
joined, list markers removed, one blank line between blocks. Every passage is an exact slice of
it (``doc.text[p.start:p.end] == p.text``), so citations can always be checked.

Boilerplate rule list (whole lines only, so article sentences are never cut):

* page furniture: ``top of page``, ``bottom of page``, ``back to top``, ``skip to content``,
  lone ``menu``/``home``/``search``/``print``/``share`` words, ``share this article``,
  ``share on ...``, ``read more``, ``related articles``, ``advertisement``, ``log in``/``sign in``;
* newsletter calls: a short line (at most 16 words) with ``subscribe``, ``sign up`` or
  ``newsletter`` in it;
* cookie notices: a short line (at most 30 words) with ``we use cookies``, ``accept (all) cookies``
  or ``cookie policy/settings/preferences``;
* navigation bars: a line of three or more short parts separated by ``|`` or ``·``;
* copyright footers: ``©``, ``copyright 2024 ...``, ``all rights reserved``.

Metadata is best effort and the caller may override it: the title comes from HTML ``<title>``/
``<h1>``, Markdown front matter or first heading, or a short first line of text (else the file
name); the date from front matter/HTML metadata, a ``Published ...`` line, a line that is only a
date, a date in the title, an ``uploaded on DD-MM-YYYY`` line (day first) or, last, a date in the
file name; the author from ``By Name`` / ``Author: Name`` lines; the URL only from labelled lines
(``URL:``, ``Source:``, ``Originally published at``) or HTML metadata, because a bare link in an
article usually points at someone else's page.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from question_bank.model import Document, Passage

MAX_BYTES = 5 * 1024 * 1024

FORMATS_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
TEXT_FORMATS = ("text", "markdown", "html")


class ReadingError(ValueError):
    """A reading could not be imported; the message is meant for the teacher who uploaded it."""


@dataclass
class _Block:
    kind: str  # "heading" or "para"
    text: str


# --------------------------------------------------------------------------- public API


def read_document(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read an uploaded file (text, Markdown, HTML or PDF) into a Document with passages."""
    name = safe_name(filename)
    if not data:
        raise ReadingError(f"“{name}” is empty: there is no text to read.")
    if len(data) > max_bytes:
        raise ReadingError(
            f"“{name}” is {_size(len(data))}, larger than the {_size(max_bytes)} limit. "
            "Split it into smaller files or paste the part you need."
        )
    fmt = _detect_format(data, name)
    if fmt == "pdf":
        text, meta = _pdf_text(data, name)
        doc = _build(_text_blocks(text, dehyphenate=True), name, meta)
        return doc
    text = _decode(data, name)
    return read_text(text, name, fmt)


def read_text(text: str, name: str, fmt: str = "text") -> Document:
    """Read pasted text (``text``, ``markdown`` or ``html``) into a Document with passages."""
    if fmt not in TEXT_FORMATS:
        raise ReadingError(f"Unknown text format “{fmt}”: use one of {', '.join(TEXT_FORMATS)}.")
    name = safe_name(name)
    text = _normalise(text)
    if not text.strip():
        raise ReadingError(f"“{name}” is empty: there is no text to read.")
    meta: dict[str, str] = {}
    if fmt == "html":
        text, meta = _html_to_markdown(text)
        fmt = "markdown"
    elif fmt == "text" and _looks_like_markdown(text):
        fmt = "markdown"
    if fmt == "markdown":
        text, front = _front_matter(text)
        meta = {**front, **{k: v for k, v in meta.items() if v}}
        blocks = _markdown_blocks(text)
    else:
        blocks = _text_blocks(text)
    doc = _build(blocks, name, meta)
    if not doc.passages:
        raise ReadingError(
            f"“{name}” has no paragraphs of running text to make questions from "
            "(only headings, links or very short lines)."
        )
    return doc


def safe_name(filename: str) -> str:
    """Reduce an uploaded file name to its base name (no folders, no control characters)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    base = base.lstrip(".") or "reading.txt"
    return base[:200]


def split_passages(text: str) -> Document:
    """Split already-clean plain text into a Document (used by units for their own notes)."""
    return _build(_text_blocks(_normalise(text)), "notes.txt", {})


# --------------------------------------------------------------------------- bytes to text


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _detect_format(data: bytes, name: str) -> str:
    if data[:5] == b"%PDF-":
        return "pdf"
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext in FORMATS_BY_EXTENSION:
        return FORMATS_BY_EXTENSION[ext]
    if ext:
        kinds = ", ".join(sorted(FORMATS_BY_EXTENSION))
        raise ReadingError(
            f"“{name}” is a {ext} file, which Debrief cannot read. Use one of: {kinds}."
        )
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ReadingError(
            f"“{name}” looks like a binary file (a program, image or word-processor file), "
            "not text. "
            "Save it as plain text (UTF-8), Markdown, HTML or PDF."
        )
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or _looks_like_mojibake(text):
        raise ReadingError(
            f"“{name}” is not in a text encoding Debrief recognises. "
            "Open it in an editor and save it as UTF-8 text."
        )
    return text


def _looks_like_mojibake(text: str) -> bool:
    # cp1252 decodes nearly any byte string, so judge the result: real prose is mostly
    # letters and spaces, with few control characters and few symbols from the upper half.
    sample = text[:20000]
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample))
    odd = sum(1 for ch in sample
              if ord(ch) > 127 and not ch.isalpha() and ch not in "‘’“”–—…•·€£°«»")
    return controls / len(sample) > 0.01 or odd / len(sample) > 0.05


def _pdf_text(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise ReadingError(
                    f"“{name}” is a password-protected PDF. "
                    "Save an unprotected copy and upload that."
                ) from exc
            if not unlocked:
                raise ReadingError(
                    f"“{name}” is a password-protected PDF. "
                    "Save an unprotected copy and upload that."
                )
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except ReadingError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadingError(
            f"“{name}” could not be read as a PDF (the file may be damaged)."
        ) from exc
    text = _normalise("\n\n".join(pages))
    if not text.strip():
        raise ReadingError(
            f"“{name}” has no text layer (it is probably a scan or images of pages). "
            "Use a PDF with selectable text, or paste the article's text instead."
        )
    meta = {
        "title": str(info.get("/Title") or "").strip(),
        "author": str(info.get("/Author") or "").strip(),
    }
    return text, meta


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\t", "    ")
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- boilerplate

_FURNITURE = re.compile(
    r"^(?:(?:top|bottom) of (?:the )?page|back to top|return to top|skip to (?:main )?"
    r"(?:content|navigation)|(?:main )?menu|home|search|print(?: this)?(?: page| article)?|"
    r"share(?: this)?(?: article| story| page| post)?|share on \w+(?: \w+)?|"
    r"e-?mail this(?: article)?|"
    r"tweet|(?:read|see|load) more|related (?:articles|stories|posts|content)|advertisement|"
    r"sponsored(?: content)?|(?:log|sign) (?:in|out)|register|follow us(?: on .*)?|"
    r"previous(?: article| post| page)?|next(?: article| post| page)?|toggle navigation|"
    r"open menu|close menu|close|loading\.*)$"
)
_NEWSLETTER = re.compile(r"\b(?:subscribe|sign up|newsletter)\b")
_COOKIES = re.compile(
    r"\bwe use cookies\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings|preferences)\b"
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\) \d{4}|copyright \d{4})|all rights reserved")


def is_boilerplate(line: str) -> bool:
    """True when a whole line is page furniture (see the module docstring for the rule list)."""
    plain = re.sub(r"[*_#>`\[\]]", "", line).strip().lower()
    plain = re.sub(r"^[•·\-–*]\s*", "", plain)
    bare = plain.rstrip(" .!:|»›>")
    if not bare:
        return False
    words = len(bare.split())
    if _FURNITURE.match(bare):
        return True
    if words <= 16 and _NEWSLETTER.search(bare):
        return True
    if words <= 30 and _COOKIES.search(bare):
        return True
    if _COPYRIGHT.search(bare) and words <= 20:
        return True
    parts = [p.strip() for p in re.split(r"\s[|·]\s", bare)]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts)


# --------------------------------------------------------------------------- text to blocks

_BULLET = re.compile(r"^(?:[•·▪◦‣●*\-–—]|\d{1,2}[.)])\s+")
_TERMINAL = ("." , "!", "?", "”", '"', "’", "'", ")", ":", ";", "…")


def _strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def _text_blocks(text: str, *, dehyphenate: bool = False) -> list[_Block]:
    """Plain text to blocks: blank-line groups, hard-wrapped lines joined, furniture dropped."""
    groups: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or is_boilerplate(line):
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append(line)
    paragraphs: list[str] = []
    for lines in groups:
        if not lines:
            continue
        width = max(len(line) for line in lines)
        if len(lines) == 1 or width > 100:
            # One paragraph per line: web captures keep each paragraph on its own long line.
            paragraphs.extend(_strip_bullet(line) for line in lines)
            continue
        current = ""
        for i, line in enumerate(lines):
            if not current:
                current = _strip_bullet(line)
                continue
            prev = lines[i - 1]
            breaks = (
                bool(_BULLET.match(line))
                or (prev.endswith(_TERMINAL) and len(prev) < 0.7 * width)
                or (not prev.endswith(_TERMINAL) and len(prev) < 0.5 * width and line[:1].isupper())
            )
            if breaks:
                paragraphs.append(current)
                current = _strip_bullet(line)
            elif dehyphenate and current.endswith("-") and line[:1].islower():
                current = current[:-1] + line
            else:
                current = f"{current} {line}"
        paragraphs.append(current)
    return [_classify(p) for p in paragraphs if p]


def _classify(text: str) -> _Block:
    text = re.sub(r"\s+", " ", text).strip()
    return _Block("para", text)


def _looks_like_markdown(text: str) -> bool:
    return len(re.findall(r"(?m)^#{1,6} \S", text)) >= 2


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    match = re.match(r"\A\s*---\n(.*?)\n---\s*\n", text, re.S)
    if not match:
        return text, {}
    import yaml

    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return text, {}
    if not isinstance(data, dict):
        return text, {}
    meta = {}
    for key, target in (("title", "title"), ("author", "author"), ("date", "date"),
                        ("publisher", "publisher"), ("source", "publisher"), ("url", "url")):
        value = data.get(key)
        if value and not meta.get(target):
            meta[target] = str(value).strip()
    return text[match.end():], meta


_FOOTNOTE = re.compile(r"\[(?:[ivxlcdm]{1,6}|\d{1,3})\]")


def _markdown_blocks(text: str) -> list[_Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[_Block] = []
    heading_level = 0
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            plain = _inline_text(token.children or [])
            plain = re.sub(r"\s+", " ", _FOOTNOTE.sub("", plain)).strip()
            plain = re.sub(r"\s+([.,;:!?])", r"\1", plain)
            if not plain or is_boilerplate(plain):
                continue
            if heading_level:
                blocks.append(_Block("heading", plain))
            else:
                blocks.append(_Block("para", _strip_bullet(plain)))
        elif token.type == "html_block":
            plain = re.sub(r"<[^>]+>", " ", token.content)
            plain = re.sub(r"\s+", " ", plain).strip()
            if plain and not is_boilerplate(plain):
                blocks.append(_Block("para", plain))
    return blocks


def _inline_text(children: list) -> str:
    parts: list[str] = []
    skip = 0
    for child in children:
        if child.type == "html_inline":
            tag = child.content.lower()
            # Footnote markers live in <sup>; drop what is inside it.
            if tag.startswith("<sup"):
                skip += 1
            elif tag.startswith("</sup") and skip:
                skip -= 1
            continue
        if skip:
            continue
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content or "")
    return "".join(parts)


def _html_to_markdown(html: str) -> tuple[str, dict[str, str]]:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    meta: dict[str, str] = {}
    try:
        found = extract_metadata(html)
    except Exception:  # noqa: BLE001 - metadata is a bonus; a quirky page must still import
        found = None
    if found is not None:
        meta = {
            "title": found.title or "",
            "author": found.author or "",
            "date": found.date or "",
            "publisher": found.sitename or "",
            "url": found.url or "",
        }
    text = trafilatura.extract(html, output_format="markdown", include_comments=False,
                               include_tables=False, include_links=False, include_images=False)
    if not text or len(text.split()) < 20:
        text = _lxml_fallback(html) or text or ""
    return _normalise(text), meta


def _lxml_fallback(html: str) -> str:
    # trafilatura declines very short pages; a plain walk over headings and paragraphs
    # (navigation, headers, footers and scripts removed) is enough for those.
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return ""
    for bad in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript"):
        bad.drop_tree()
    lines = []
    for el in root.xpath("//h1|//h2|//h3|//h4|//p|//li"):
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if not text:
            continue
        lines.append(("#" * int(el.tag[1]) + " " + text) if el.tag[0] == "h" else text)
    return "\n\n".join(lines)


# --------------------------------------------------------------------------- blocks to document


def _is_passage(text: str) -> bool:
    words = len(text.split())
    if words < 6:
        return False
    return text.endswith(_TERMINAL) or words >= 12


def _merge_broken(blocks: list[_Block]) -> list[_Block]:
    # A paragraph cut by a stray blank line ends without punctuation and resumes in lowercase.
    merged: list[_Block] = []
    for block in blocks:
        if (merged and block.kind == "para" and merged[-1].kind == "para"
                and block.text[:1].islower() and not merged[-1].text.endswith(_TERMINAL)):
            merged[-1] = _Block("para", f"{merged[-1].text} {block.text}")
        else:
            merged.append(block)
    return merged


def _build(blocks: list[_Block], name: str, meta: dict[str, str]) -> Document:
    blocks = _merge_broken(blocks)
    pieces: list[str] = []
    passages: list[Passage] = []
    offset = 0
    heading = ""
    for block in blocks:
        if pieces:
            offset += 2
        start = offset
        pieces.append(block.text)
        offset += len(block.text)
        question_line = block.text.endswith("?") and len(block.text.split()) <= 8
        if block.kind == "para" and _is_passage(block.text) and not question_line:
            passages.append(Passage(len(passages), block.text, start, offset, heading))
        elif len(block.text.split()) <= 12 and not re.search(r"https?://", block.text):
            heading = block.text.rstrip(":")
    text = "\n\n".join(pieces)
    doc = Document(name=name, text=text, passages=passages, kind="reading")
    _fill_metadata(doc, blocks, meta)
    return doc


# --------------------------------------------------------------------------- metadata

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_FORMS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? (\d{{4}})\b", re.I), "dmy"),
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", re.I), "mdy"),
    (re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"), "dmy_num"),
]


def parse_date(text: str) -> str:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (numeric forms day first), or ``""``."""
    best: tuple[int, str] | None = None
    for pattern, form in _DATE_FORMS:
        match = pattern.search(text)
        if not match:
            continue
        g = match.groups()
        try:
            if form == "ymd":
                y, m, d = int(g[0]), int(g[1]), int(g[2])
            elif form == "dmy":
                d, m, y = int(g[0]), _MONTHS[g[1][:3].lower()], int(g[2])
            elif form == "mdy":
                m, d, y = _MONTHS[g[0][:3].lower()], int(g[1]), int(g[2])
            else:
                d, m, y = int(g[0]), int(g[1]), int(g[2])
        except KeyError:
            continue
        if not (1 <= m <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200):
            continue
        iso = f"{y:04d}-{m:02d}-{d:02d}"
        if best is None or match.start() < best[0]:
            best = (match.start(), iso)
    return best[1] if best else ""


def _name_date(name: str) -> str:
    match = re.search(r"((?:19|20)\d{2})(?:-(\d{2}))?(?:-(\d{2}))?", name)
    if not match:
        return ""
    return "-".join(part for part in match.groups() if part)


def _title_from_name(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    stem = re.sub(r"[-_ ]*(?:19|20)\d{2}(?:-\d{2}){0,2}", "", stem)
    words = [w for w in re.split(r"[-_ ]+", stem) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or name


def _fill_metadata(doc: Document, blocks: list[_Block], meta: dict[str, str]) -> None:
    texts = [b.text for b in blocks]
    title = meta.get("title", "")
    if not title:
        heading = next((b.text for b in blocks if b.kind == "heading"), "")
        first = texts[0] if texts else ""
        if heading:
            title = heading
        elif first and len(first.split()) <= 20 and not first.endswith((".", "!", "?")):
            title = first
        else:
            title = _title_from_name(doc.name)
    doc.title = title.strip()

    date = parse_date(meta.get("date", "")) or _partial_iso(meta.get("date", ""))
    if not date:
        for text in texts:
            if re.match(r"^(?:published|posted|updated|date)\b", text, re.I) and parse_date(text):
                date = parse_date(text)
                break
    if not date:
        date = next((parse_date(t) for t in texts[:8]
                     if len(t.split()) <= 5 and parse_date(t)), "")
    if not date:
        date = parse_date(doc.title)
    if not date:
        date = next((parse_date(t) for t in texts if re.search(r"\buploaded\b", t, re.I)
                     and parse_date(t)), "")
    doc.date = date or _name_date(doc.name)

    author = meta.get("author", "")
    if not author:
        for text in texts:
            match = re.match(
                r"^(?:by|author:|written by)\s+([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3})", text, re.I
            )
            if match and len(text.split()) <= 20:
                author = match.group(1)
                break
    doc.author = author
    doc.publisher = meta.get("publisher", "")
    url = meta.get("url", "")
    if not url:
        for text in texts:
            match = re.match(r"^(?:url|source|link|originally published at)\s*:?\s*<?(https?://\S+?)>?$",
                             text, re.I)
            if match:
                url = match.group(1)
                break
    doc.url = url


def _partial_iso(value: str) -> str:
    match = re.match(r"^\s*(\d{4})(?:-(\d{2}))?\s*$", value or "")
    return "-".join(p for p in match.groups() if p) if match else ""
