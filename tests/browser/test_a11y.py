"""Accessibility: an axe-core scan of every page of the app, as a teacher and as a student, finds no
serious or critical violation; and every page can be worked with the keyboard alone."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.attacks.conftest import fill, routes, world  # noqa: F401  (the module-wide world fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Pages that are not pages: files, JSON, and the endpoints that only redirect.
NOT_PAGES = {"static", "main.healthz", "main.livez", "bank.export", "debates.live_state",
             "progress.gradebook_as_csv", "progress.gradebook_as_json", "main.index", "practice.resume"}
# Pages drawn by the same template (or nearly) as one that is scanned; skipped to keep the scan quick.
SAME_AS_SCANNED = {"classes.edit": "classes.new", "bank.edit_unit": "bank.new_unit",
                   "bank.questions": "bank.browse", "debates.new_prompt": "debates.edit_prompt",
                   "essays.new_rubric": "essays.edit_rubric", "quizzes.new": "quizzes.edit",
                   "quizzes.reading": "discussions.reading", "bank.import_file": "bank.new_reading",
                   "auth.password": "auth.profile", "quizzes.confirm": "quizzes.take"}
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def site(world):  # noqa: F811
    """The world's app served on a free local port."""
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def signed_in(browser, site, user):
    """A browser tab logged in as ``user`` through the login form."""
    context = with_axe(browser.new_context(base_url=site))
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    return context, page


def pages_of(world, persona):  # noqa: F811
    """The HTML pages ``persona`` may open, with side a's ids."""
    client = world.client(persona)
    found = []
    for rule in routes(world.app, "GET"):
        if rule.endpoint in NOT_PAGES or rule.endpoint in SAME_AS_SCANNED:
            continue
        path = fill(rule, world.a)
        response = client.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            found.append(path)
    return found


KEYBOARD_TRAPS = """() => {
  const problems = [];
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  for (const el of document.querySelectorAll(interactive)) {
    const shown = el.checkVisibility({visibilityProperty: true});
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) > 0) problems.push('positive tabindex: ' + el.outerHTML.slice(0, 80));
    const control = el.matches('a[href], button, input, select, textarea, summary');
    if (shown && control && tabindex === '-1' && !el.disabled)
      problems.push('reachable by mouse only: ' + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('[onclick], div[role=button], span[role=button]'))
    if (el.getAttribute('tabindex') === null)
      problems.push('clickable but not focusable: ' + el.outerHTML.slice(0, 80));
  return problems;
}"""


def keyboard_problems(page) -> list[str]:
    """Controls the keyboard cannot reach: positive or negative tabindex, click handlers on non-controls."""
    return page.evaluate(KEYBOARD_TRAPS)


AXE_OPTIONS = {"resultTypes": ["violations"], "runOnly": {
    "type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


def with_axe(context):
    """Load axe-core (bundled by axe-playwright-python, so it works offline) into every page of the context."""
    from axe_playwright_python.base import AXE_SCRIPT

    context.add_init_script(AXE_SCRIPT)
    return context


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page, described."""
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v["impact"] in SERIOUS]


@pytest.mark.parametrize("persona", ["teacher", "student", "anonymous"])
def test_no_page_has_serious_accessibility_violations(browser, site, world, persona):  # noqa: F811
    """axe-core on every page the persona can open: zero serious or critical violations, and no control
    that the keyboard cannot reach."""
    if persona == "anonymous":
        context = with_axe(browser.new_context(base_url=site))
        page = context.new_page()
        paths = ["/", "/auth/login", "/auth/signup", "/no-such-page"]
    else:
        context, page = signed_in(browser, site, world.people[persona])
        paths = pages_of(world, persona)
    problems = {}
    try:
        for path in paths:
            page.goto(path)
            found = axe_violations(page) + keyboard_problems(page)
            if found:
                problems[path] = found
    finally:
        context.close()
    assert problems == {}


def tab_stops(page, limit: int = 200) -> list[str]:
    """Press Tab from the top of the page until focus comes round again; the elements focused, in order."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = page.evaluate("""() => { const el = document.activeElement;
            return el && el !== document.body ? el.outerHTML.slice(0, 120) : null; }""")
        if current is None or (seen and current == seen[0]):
            break
        seen.append(current)
    return seen


@pytest.mark.parametrize(("persona", "path_of"), [
    ("student", lambda ids: "/dashboard"),
    ("student", lambda ids: f"/quizzes/attempts/{ids['attempt']}"),
    ("student", lambda ids: f"/discussions/{ids['discussion']}"),
    ("teacher", lambda ids: f"/classes/{ids['class']}"),
    ("teacher", lambda ids: f"/bank/units/{ids['unit']}/review"),
    ("teacher", lambda ids: f"/progress/classes/{ids['class']}/gradebook"),
], ids=["dashboard", "quiz", "discussion", "class", "review", "gradebook"])
def test_tab_reaches_every_control(browser, site, world, persona, path_of):  # noqa: F811
    """With Tab alone, focus visits the skip link first and then every visible link, button and field."""
    context, page = signed_in(browser, site, world.people[persona])
    try:
        page.goto(path_of(world.a.ids))
        stops = tab_stops(page)
        assert stops and "skip-link" in stops[0]
        controls = page.evaluate("""() => [...document.querySelectorAll(
            'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary')]
            .filter(el => el.checkVisibility({visibilityProperty: true}))
            .length""")
        radios = page.evaluate("""() => { const groups = new Map(); let extra = 0;
            for (const r of document.querySelectorAll('input[type=radio]')) {
              if (!r.checkVisibility()) continue;
              const names = groups.get(r.form) || new Set();
              if (names.has(r.name)) extra += 1;
              names.add(r.name); groups.set(r.form, names);
            }
            return extra; }""")
        assert len(stops) >= controls - radios, f"Tab reached {len(stops)} of {controls - radios} controls"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement !== document.body")
    finally:
        context.close()


def test_the_scan_finds_a_real_violation(browser, site):
    """The scan is not vacuous: an image without alt text and a button without a name are reported."""
    context = with_axe(browser.new_context(base_url=site))
    try:
        page = context.new_page()
        page.goto("/auth/login")
        page.evaluate("""() => { document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/static/none.png"><button class="button" id="faint"></button>'); }""")
        found = " ".join(axe_violations(page))
        assert "image-alt" in found and "button-name" in found
    finally:
        context.close()
