"""Hostile uploads through the bank's real reading-upload form: each is refused or neutralised with a
message a teacher understands, and nothing is stored."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from question_bank.models import Passage, Source, Unit
from tests.attacks.test_xss import active_content

PROSE = ("The governments of Norway and Chile signed a fisheries agreement in Oslo on 3 March 2025. "
         "Chile will receive up to 40 research vessels over five years, officials said.\n\n"
         "The European Union welcomed the deal, while Greenpeace warned that quotas remained too high.\n")


@pytest.fixture
def unit(teacher, db):
    """An empty unit of the teacher's, to upload readings into."""
    unit = Unit(slug="uploads", title="Uploads", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    return unit


def stored(db) -> tuple[int, int]:
    """How many readings and passages there are."""
    return (db.session.scalar(select(func.count(Source.id))), db.session.scalar(select(func.count(Passage.id))))


def upload(browser, unit, data: bytes, filename: str):
    """Send a file through the reading form as a browser would."""
    return browser.post(f"/bank/units/{unit.id}/readings/new", data={"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def zip_bomb() -> bytes:
    """A 100 KB zip that inflates to 100 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", b"\0" * (100 * 1024 * 1024))
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A one-page PDF without a text layer (like a scan)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "message"), [
    ("bomb.zip", "is a .zip file, which Debrief cannot read"),
    ("bomb.docx", "is a .docx file, which Debrief cannot read"),
    ("bomb.txt", "looks like a binary file"),
    ("bomb", "looks like a binary file"),
])
def test_a_zip_bomb_is_refused_unopened(login, teacher, unit, db, filename, message):
    """A small archive that would inflate to 100 MB is refused by its type or its bytes, never unpacked."""
    bomb = zip_bomb()
    assert len(bomb) < 200 * 1024
    response = upload(login(teacher), unit, bomb, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(db) == (0, 0)


def test_a_pdf_without_text_is_refused_with_advice(login, teacher, unit, db):
    """A scanned PDF has nothing to make questions from: the teacher is told to use one with text or paste it."""
    response = upload(login(teacher), unit, blank_pdf(), "scan.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "has no text layer" in page and "paste the article" in page
    assert stored(db) == (0, 0)


def test_a_damaged_pdf_is_refused(login, teacher, unit, db):
    """A file that claims to be a PDF but is not one gives a message, not a crash."""
    response = upload(login(teacher), unit, b"%PDF-1.7\n" + b"\x93garbage" * 500, "broken.pdf")
    assert response.status_code == 422
    assert "could not be read as a PDF" in response.get_data(as_text=True)
    assert stored(db) == (0, 0)


def test_a_path_in_the_file_name_is_refused_or_reduced_to_a_name(login, teacher, unit, db, app):
    """``../../etc/passwd`` never names a path: a passwd file is refused as no reading, and a real reading
    sent under that name is kept under the bare name "passwd", in the database only."""
    browser = login(teacher)
    passwd = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    response = upload(browser, unit, passwd, "../../etc/passwd")
    assert response.status_code == 422
    assert "has no paragraphs of running text" in response.get_data(as_text=True)
    assert stored(db) == (0, 0)

    instance = set(Path(app.instance_path).rglob("*"))
    for number, name in enumerate(("../../etc/passwd", "..\\..\\windows\\system32\\notes.txt",
                                   "/etc/cron.d/.pact.md")):
        text = f"{PROSE}\nThis is copy {number} of the article, kept for the class.\n"
        response = upload(browser, unit, text.encode(), name)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    names = db.session.scalars(select(Source.name).order_by(Source.id)).all()
    assert all("/" not in name and "\\" not in name and not name.startswith(".") for name in names)
    # The backslashes never reach the app as separators (the form encoding escapes them); the name is inert.
    assert names[0] == "passwd" and names[1].endswith("notes.txt") and names[2] == "pact.md"
    assert set(Path(app.instance_path).rglob("*")) == instance  # nothing written beside the database


def test_an_html_file_with_scripts_is_kept_as_text_only(login, teacher, unit, db):
    """An HTML reading keeps its words; its scripts, handlers and script links are dropped and never shown."""
    html = (
        "<html><head><title>Harbour Pact</title><script>alert('head')</script></head>"
        "<body onload=\"alert('body')\"><article><h1>Harbour Pact</h1>"
        f"<p>{PROSE.splitlines()[0]}<script>alert('inline')</script></p>"
        "<p>The European Union welcomed the deal <img src=x onerror=\"alert('img')\">, while Greenpeace "
        "<a href=\"javascript:alert('link')\">warned</a> that quotas remained too high.</p>"
        "<iframe src=\"javascript:alert('frame')\"></iframe></article></body></html>")
    browser = login(teacher)
    response = upload(browser, unit, html.encode(), "pact.html")
    assert response.status_code == 302
    source = db.session.scalar(select(Source))
    assert "research vessels" in source.text and "Greenpeace" in source.text
    assert "alert" not in source.text and "javascript" not in source.text.lower()
    page = browser.get(f"/bank/sources/{source.id}").get_data(as_text=True)
    assert active_content(page) == [] and "alert(" not in page


def test_a_50_mb_upload_is_refused_before_it_is_read(app, login, teacher, unit, db):
    """The size limit answers 413 with a friendly page from the Content-Length alone: the body is not read."""
    browser = login(teacher)
    size = 50 * 1024 * 1024

    class Body(io.RawIOBase):
        """A 50 MB request body, made up as it is read, that counts how much of it the app reads."""

        def __init__(self) -> None:
            self.position = self.read_bytes = 0

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def seek(self, offset: int, whence: int = 0) -> int:
            self.position = {0: offset, 1: self.position + offset, 2: size + offset}[whence]
            return self.position

        def tell(self) -> int:
            return self.position

        def readinto(self, buffer) -> int:
            count = max(0, min(len(buffer), size - self.position))
            buffer[:count] = b"a" * count
            self.position += count
            self.read_bytes += count
            return count

    body = Body()
    response = browser.post(f"/bank/units/{unit.id}/readings/new", input_stream=body, csrf=False,
                            content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file is too large" in page and "Readings can be up to 5 MB" in page
    assert body.read_bytes < 1024 * 1024
    assert stored(db) == (0, 0)


def test_an_upload_just_over_the_limit_is_refused_with_the_same_page(login, teacher, unit, db):
    """A real 7 MB multipart upload, as a browser sends it, is refused as too large, with the same page."""
    text = PROSE.encode() * (7 * 1024 * 1024 // len(PROSE))
    body = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="long.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + text + b"\r\n--x--\r\n")
    response = login(teacher).post(f"/bank/units/{unit.id}/readings/new", input_stream=io.BytesIO(body),
                                   content_type="multipart/form-data; boundary=x", csrf=False)
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)
    assert stored(db) == (0, 0)


def test_a_gzip_encoded_body_is_not_inflated(login, teacher, unit, db):
    """The app never decompresses request bodies, so a gzip bomb stays 50 KB: it is not a form at all."""
    bomb = gzip.compress(b"text=" + b"a" * (50 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    response = login(teacher).post(f"/bank/units/{unit.id}/readings/new", data=bomb, csrf=False,
                                   content_type="application/x-www-form-urlencoded",
                                   headers={"Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert stored(db) == (0, 0)
