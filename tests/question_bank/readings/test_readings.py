"""Readings: every format in, clean text with exact passages out, and clear errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfWriter

from question_bank.readings import ReadingError, is_boilerplate, read_document, read_text

REPO = Path(__file__).resolve().parents[3]


def material() -> Path:
    """The shared background articles, or skip when this checkout has none."""
    folder = Path(os.environ.get("DEBRIEF_MATERIAL", REPO.parent / "shared" / "material"))
    if not folder.is_dir():
        pytest.skip(f"background articles not found at {folder} (set DEBRIEF_MATERIAL)")
    return folder


def assert_offsets(doc) -> None:
    """Every passage is the exact slice of the stored text it claims to be."""
    assert doc.passages
    for passage in doc.passages:
        assert doc.text[passage.start:passage.end] == passage.text


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF with a real text layer, built by hand (pypdf cannot draw text)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


ARTICLE_TXT = """top of page

Harbour deal signed

Published 19 June 2024

Skip to content
Home | World | Politics | Sport

The two port cities agreed on Tuesday to share the cost of dredging the channel, officials said.
The plan covers the next ten years and includes a joint safety board.

Share this article

The mayor said the agreement would protect about 2,000 jobs at the docks.

Sign up for our newsletter

By Dana Reeve, Harbour Correspondent

bottom of page
"""


def test_plain_text_drops_page_furniture():
    """Navigation, share, newsletter and page-edge lines are not kept in the stored text."""
    doc = read_document(ARTICLE_TXT.encode(), "harbour.txt")
    for furniture in ("top of page", "Skip to content", "Share this", "newsletter", "Home |",
                      "bottom of page"):
        assert furniture not in doc.text
    assert "share the cost of dredging" in doc.text
    assert_offsets(doc)


def test_plain_text_metadata_is_read_from_the_text():
    """Title from the first short line, date from the Published line, author from By."""
    doc = read_document(ARTICLE_TXT.encode(), "harbour.txt")
    assert doc.title == "Harbour deal signed"
    assert doc.date == "2024-06-19"
    assert doc.author == "Dana Reeve"
    assert doc.kind == "reading"


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    """Lines wrapped at a fixed width become one passage per paragraph."""
    text = ("The council met on Monday to discuss the new bridge, which has been\n"
            "delayed for two years because of rising costs and a lengthy legal\n"
            "dispute with the main contractor over the design.\n"
            "\n"
            "Members voted to release the remaining funds after a long debate that\n"
            "ran late into the evening.\n")
    doc = read_text(text, "bridge.txt")
    assert len(doc.passages) == 2
    assert "which has been delayed" in doc.passages[0].text
    assert "\n" not in doc.passages[0].text
    assert_offsets(doc)


def test_one_paragraph_per_line_text_keeps_headings_as_passage_headings():
    """Long single-line paragraphs split per line; short heading lines label what follows."""
    long = "The committee published its report on the flooding, and it " + "said " * 30 + "more."
    text = f"Background\n{long}\nReactions\n{long.replace('committee', 'minister')}\n"
    doc = read_text(text, "report.txt")
    assert [p.heading for p in doc.passages] == ["Background", "Reactions"]
    assert all(p.text != "Background" for p in doc.passages)
    assert_offsets(doc)


def test_markdown_front_matter_headings_and_markup():
    """Front matter gives metadata; markup is stripped; headings label the passages."""
    text = """---
title: Water rights explained
author: Sam Lee
date: 2023-03-04
---

# Water rights explained

## Why it matters

The **treaty** shares the river's water between [two countries](https://example.org) and
sets up a joint commission to settle disputes.<sup>[i]</sup>

- Each side must report its dams and reservoirs to the commission every year.
"""
    doc = read_document(text.encode(), "water.md")
    assert doc.title == "Water rights explained"
    assert doc.author == "Sam Lee"
    assert doc.date == "2023-03-04"
    first = doc.passages[0]
    assert first.heading == "Why it matters"
    assert "**" not in first.text and "](" not in first.text and "[i]" not in first.text
    assert first.text.startswith("The treaty shares the river's water between two countries")
    assert doc.passages[1].text.startswith("Each side must report")
    assert_offsets(doc)


def test_html_main_text_without_boilerplate():
    """The article body is kept; menus, share lines and cookie notices are not."""
    html = """<html><head><title>Pact signed | Daily Paper</title>
<meta property="og:site_name" content="Daily Paper"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<a href="#top">Back to top</a>
<article><h1>Leaders sign a pact</h1>
<p>The two leaders met in the capital on Wednesday and signed a new agreement on mutual aid
that commits each side to help the other if it is attacked.</p>
<h2>Reactions</h2>
<p>Officials in Seoul said the deal was a serious concern for the region and for its allies
across the Pacific, and promised a firm response.</p>
<p>Share this article</p><p>Sign up for our newsletter</p></article>
<footer><p>We use cookies to improve your experience. Accept all cookies</p></footer>
</body></html>"""
    doc = read_document(html.encode(), "pact.html")
    assert "signed a new agreement on mutual aid" in doc.text
    for furniture in ("Back to top", "Share this", "newsletter", "cookies", "Sport"):
        assert furniture not in doc.text
    assert doc.publisher == "Daily Paper"
    assert [p.heading for p in doc.passages][-1] == "Reactions"
    assert_offsets(doc)


def test_pdf_text_layer_is_read():
    """A PDF's text layer becomes the document text."""
    data = text_pdf("The assembly approved the budget on Friday after a long debate.",
                    "Opposition members said the plan cut school funding too deeply.")
    doc = read_document(data, "budget.pdf")
    assert "approved the budget on Friday" in doc.text
    assert_offsets(doc)


def test_pdf_without_text_layer_is_refused():
    """A scan-like PDF (no text) is an error that says so."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReadingError, match="no text layer"):
        read_document(out.getvalue(), "scan.pdf")


def test_encrypted_pdf_is_refused():
    """A password-protected PDF is an error that says so."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReadingError, match="password"):
        read_document(out.getvalue(), "locked.pdf")


def test_damaged_pdf_is_refused():
    """Bytes that claim to be a PDF but are not give a readable error."""
    with pytest.raises(ReadingError, match="could not be read as a PDF"):
        read_document(b"%PDF-1.4\nthis is not really a pdf", "broken.pdf")


def test_empty_file_is_refused():
    """An empty upload is an error naming the file."""
    with pytest.raises(ReadingError, match="empty"):
        read_document(b"", "nothing.txt")


def test_oversize_file_message_gives_the_limit():
    """A file over the limit is refused and the message states the limit."""
    with pytest.raises(ReadingError, match="5 MB limit"):
        read_document(b"a" * (5 * 1024 * 1024 + 1), "huge.txt")


def test_binary_file_is_refused():
    """NUL bytes mean a binary file, not text."""
    with pytest.raises(ReadingError, match="binary"):
        read_document(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "program.txt")


def test_undecodable_bytes_are_refused():
    """Bytes that are neither UTF-8 nor sensible cp1252 are refused with advice."""
    junk = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(ReadingError, match="UTF-8"):
        read_document(junk, "odd.txt")


def test_cp1252_text_is_decoded():
    """A Windows-1252 file with curly quotes and accents reads correctly."""
    data = ("The caf\xe9 owners said the \x93new rules\x94 would cost them about "
            "\x80200 a month, according to the union.").encode("latin-1")
    doc = read_document(data, "cafe.txt")
    assert "café" in doc.text and "“new rules”" in doc.text and "€200" in doc.text


def test_unsupported_extension_is_refused():
    """Word files and the like get a message listing what is accepted."""
    with pytest.raises(ReadingError, match=r"\.docx.*\.txt"):
        read_document(b"PK\x03\x04 whatever", "essay.docx")


def test_path_parts_are_stripped_from_the_file_name():
    """A name with folders is reduced to its base name."""
    doc = read_document(b"The minister resigned on Monday after weeks of pressure.", "../../etc/passwd")
    assert doc.name == "passwd"
    doc = read_document(b"The minister resigned on Monday after weeks of pressure.",
                        "C:\\Users\\x\\note.txt")
    assert doc.name == "note.txt"


def test_is_boilerplate_is_conservative():
    """Furniture lines match; real sentences that mention the same words do not."""
    assert is_boilerplate("Back to top")
    assert is_boilerplate("Please subscribe to Insight Fortnight, our biweekly newsletter!")
    assert not is_boilerplate("The agency said it would subscribe to the new treaty's rules, "
                              "which many neighbours have already signed, before the summit.")
    assert not is_boilerplate("Home secretaries met in Rome.")


@pytest.mark.material
def test_material_articles_read_with_exact_offsets():
    """The five real articles read cleanly: furniture gone, passages exact, dates found."""
    docs = {p.name: read_document(p.read_bytes(), p.name)
            for p in sorted(material().glob("*.txt"))}
    assert len(docs) == 5
    for doc in docs.values():
        assert_offsets(doc)
        assert "top of page" not in doc.text and "bottom of page" not in doc.text
        assert doc.date.startswith("2024")
    ksg = docs["ksg-situation-report-2024-06-19.txt"]
    assert ksg.date == "2024-06-19" and ksg.author == "Joel Battle"
    assert docs["polis-ratification-2024-11-24.txt"].date == "2024-11-24"
