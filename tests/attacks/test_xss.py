"""Cross-site scripting: known payloads through every field that shows user text, and a property test of
the Markdown sanitiser. A page passes when it holds no script, handler or script URL that we did not write.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from quiz.debates.text import render_markdown
from tests.conftest import PASSWORD

# The well-known payloads, one a line; each fits the shortest field (a display name, 80 characters).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><svg/onload=alert(2)>",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1) x='",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)//",
    "<<b>img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    "[click](javascript:alert(1)) [x](JaVaScRiPt:alert(1)) [y](data:text/html,<b>)",
    "<details open ontoggle=alert(1)><body onload=alert(1)>",
    "</textarea><script>alert(1)</script></title><svg onload=alert(1)>",
    "<a href=\"&#106;avascript:alert(1)\">x</a><math><mi xlink:href=javascript:1>",
    "{{ 7*7 }}{% raw %}<style>@import 'x'</style>",
]
PAYLOAD_IDS = [f"payload{number}" for number in range(len(PAYLOADS))]
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)\s*:?", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background"}
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "style", "link"}


class _ActiveContent(HTMLParser):
    """Collects anything in an HTML page that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS and not (tag == "link" and attributes.get("href", "").startswith("/static/")):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value and SCRIPT_URL.match(value):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append(f"<meta refresh {attrs}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Every script, event handler, script URL or embedding tag in ``html`` (our templates have none)."""
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_detector_finds_each_payload_unescaped():
    """The check is not vacuous: every payload, pasted raw into a page, is caught (the template ones are text)."""
    for payload in PAYLOADS:
        if payload.startswith(("&lt;", "[click]", "{{", "<scr<", "<<b>")):
            continue  # dangerous only once decoded, rendered or naively filtered: the pages below check those
        assert active_content(f"<p>{payload}</p>\"'>"), payload
    assert active_content('<p><a href=" javascript:alert(1)">x</a></p>')
    assert not active_content('<p><a href="/quizzes/">x</a><script src="/static/js/app.js"></script></p>')


# --------------------------------------------------------------------------- every page, every field


# --------------------------------------------------------------------------- through the forms


def _escaped(text: str) -> str:
    return str(escape(text))


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_payloads_typed_into_name_and_title_fields_are_shown_as_text(db, login, classroom, teacher, student,
                                                                     payload):
    """A display name, a class's name, subject and term, and a unit's title, each sent through its real form,
    come back as text on the pages that show them."""
    from sqlalchemy import select

    from question_bank.models import Unit

    teaching, studying = login(teacher), login(student)
    assert studying.post("/auth/profile", data={"display_name": payload}).status_code == 302
    assert teaching.post(f"/classes/{classroom.id}/edit",
                         data={"name": payload, "subject": payload, "term": payload[:60]}).status_code == 302
    assert teaching.post("/bank/units/new", data={"title": payload, "subject": payload}).status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.owner_id == teacher.id))
    pages = {
        "roster": teaching.get(f"/classes/{classroom.id}").get_data(as_text=True),
        "classes": studying.get("/classes/").get_data(as_text=True),
        "profile": studying.get("/auth/profile").get_data(as_text=True),
        "bank": teaching.get("/bank/").get_data(as_text=True),
        "unit": teaching.get(f"/bank/units/{unit.id}").get_data(as_text=True),
    }
    assert {name: active_content(html) for name, html in pages.items() if active_content(html)} == {}
    assert pages["roster"].count(_escaped(payload)) >= 2  # the class's name and the student's
    assert _escaped(payload) in pages["unit"]


def test_payloads_typed_into_text_fields_are_shown_as_text(db, login, classroom, teacher, student):
    """Every payload at once through the long fields' real forms: a pasted reading (text, Markdown and HTML),
    a unit summary, a question's preview, a Markdown post and an essay."""
    from sqlalchemy import select

    from question_bank.models import Source, Unit
    from quiz.debates.services import assign_prompt, save_prompt

    payloads = "\n\n".join(f"Paragraph {n} of the article says {p} and more." for n, p in enumerate(PAYLOADS))
    teaching, studying = login(teacher), login(student)
    assert teaching.post("/bank/units/new", data={"title": "Unit", "summary": payloads}).status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.owner_id == teacher.id))
    for text_format, text in (("text", payloads), ("markdown", payloads),
                              ("html", f"<html><body><article><p>{payloads}</p></article></body></html>")):
        response = teaching.post(f"/bank/units/{unit.id}/readings/new", data={
            "text": text, "text_format": text_format, "title": PAYLOADS[0], "author": PAYLOADS[1]})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    sources = db.session.scalars(select(Source).where(Source.unit_id == unit.id)).all()
    assert len(sources) == 3
    prompt = save_prompt(None, teacher, unit, title="Fair?", question="Is it fair?", framing="",
                         positions=[], evidence=[])
    discussion = assign_prompt(classroom, teacher, prompt, "discussion")
    essay = assign_prompt(classroom, teacher, prompt, "essay")
    assert studying.post(f"/discussions/{discussion.id}/posts",
                         data={"body": payloads, "stance": "for"}).status_code == 302
    assert studying.post(f"/essays/{essay.id}", data={"body": payloads}).status_code == 302
    preview = teaching.post(f"/bank/units/{unit.id}/questions/new", data={
        "qtype": "multiple_choice", "stem": payloads, "choices-0-text": PAYLOADS[1], "choices-0-correct": "y",
        "choices-1-text": PAYLOADS[2], "explanation": payloads, "tags": "x", "difficulty": "medium",
        "passage": "0", "preview": "Preview"})
    assert preview.status_code == 200
    pages = {"preview": preview.get_data(as_text=True)}
    for name, browser, path in [
        ("unit", teaching, f"/bank/units/{unit.id}"), ("readings", teaching, "/bank/readings"),
        ("thread", studying, f"/discussions/{discussion.id}"),
        ("thread (teacher)", teaching, f"/discussions/{discussion.id}"),
        ("essay", studying, f"/essays/{essay.id}"), ("essays (teacher)", teaching, f"/essays/{essay.id}"),
    ] + [(f"reading {s.id}", teaching, f"/bank/sources/{s.id}") for s in sources]:
        pages[name] = browser.get(path).get_data(as_text=True)
    assert {name: active_content(html) for name, html in pages.items() if active_content(html)} == {}
    assert "Paragraph 15 of the article" in pages["thread"] and "Paragraph 15" in pages["essay"]


def test_a_reading_link_must_be_a_web_address(login, teacher, db):
    """The "link to the original" is shown as a link, so a javascript: URL is refused at the form."""
    from question_bank.models import Unit

    unit = Unit(slug="u", title="U", owner=teacher)
    db.session.add(unit)
    db.session.commit()
    response = login(teacher).post(f"/bank/units/{unit.id}/readings/new", data={
        "text": "A paragraph of running text about the fisheries pact signed in Oslo in March.",
        "text_format": "text", "url": "javascript:alert(1)//https://example.org"})
    assert response.status_code == 422
    assert "Give a full web address" in response.get_data(as_text=True)
    assert not unit.sources


# --------------------------------------------------------------------------- the Markdown sanitiser


MARKDOWN_PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
    "[a](https://example.org)", "<a href='javascript:x'>", "**bold**", "*em*", "> quote", "- item",
    "`code`", "```\n<script>\n```", "![img](javascript:alert(1))", "<svg onload=x>", "&lt;", "&#x3C;",
    "\n\n", "[ref]: javascript:alert(1)\n[x][ref]", "<", ">", "\"", "'", "onerror=", "javascript:",
    "<details ontoggle=alert(1) open>", "<!--", "-->", "]]>", "\\", "(", ")", "[", "]",
])


@settings(max_examples=50, deadline=None, database=None)
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=20)), max_size=12).map("".join))
def test_markdown_never_renders_active_content(text):
    """Whatever a student writes, the rendered post holds no script, handler or script URL."""
    html = str(render_markdown(text))
    assert active_content(html) == []
    for tag in re.findall(r"<\s*([a-zA-Z0-9]+)", html):
        assert tag.lower() in {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                               "hr", "h3", "h4", "h5", "h6"}, html
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:")) or not re.match(r"^[a-zA-Z][\w+.-]*:", href)


@settings(max_examples=50, deadline=None, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_markdown_keeps_plain_words(text):
    """The sanitiser removes markup, never the words: letters and digits of a post all survive rendering."""
    assume(not re.search(r"^ {0,3}\[[^\]]*\]:", text, re.MULTILINE))  # a link definition is not shown text
    html = str(render_markdown(text))
    visible = re.sub(r"<[^>]+>", "", html)
    for word in re.findall(r"[A-Za-z0-9]{3,}", text):
        assert word in visible or word in html


NAME_TEXT = (st.lists(st.sampled_from(list("<>\"'&=/ ;:()[]`ab1") + ["on", "script", "img", "javascript:"]),
                      min_size=1, max_size=20)
             .map("".join).map(lambda s: s[:80]).filter(lambda s: s.strip()))


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAME_TEXT)
def test_any_display_name_shows_as_text_on_the_roster(login, classroom, teacher, student, name):
    """Whatever a student calls themself, the teacher's roster and the student's profile show it as text."""
    teaching, studying = login(teacher), login(student)  # every example renames the same student
    assert studying.post("/auth/profile", data={"display_name": name}).status_code == 302
    roster = teaching.get(f"/classes/{classroom.id}").get_data(as_text=True)
    profile = studying.get("/auth/profile").get_data(as_text=True)
    assert active_content(roster) == [] and active_content(profile) == []
    assert _escaped(name.strip()) in roster


def test_password_is_never_echoed(client, student):
    """A failed login shows the email back, escaped, and never the password."""
    response = client.post("/auth/login", data={"email": "<script>alert(1)</script>@x.org",
                                                "password": PASSWORD + "<script>"})
    html = response.get_data(as_text=True)
    assert active_content(html) == [] and PASSWORD not in html
