"""Teacher and student journeys through every feature, in a real browser.

The class, its unit and the unit's approved questions are made directly (the sign-up, class, bank review
and practice journeys have their own tests); everything after is done through the pages. The student
takes the quiz with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest

from question_bank.model import Question as Plain
from tests.conftest import PASSWORD
from tests.web.practice.conftest import GLOSSARY, add_question, make_unit

pytestmark = pytest.mark.browser


def log_in(page, user) -> None:
    """Log in through the form and land on the dashboard."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def nav(page, name: str) -> None:
    """Follow a link of the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def press_until_focused(page, key: str, matches, limit: int = 80) -> None:
    """Press ``key`` until the focused element satisfies ``matches`` (a JS predicate on the element)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(el => ({matches})(el))(document.activeElement)"):
            return
    raise AssertionError(f"{key} never reached an element matching {matches}")


def focus_text(text: str) -> str:
    """A JS predicate: the focused element's text or label contains ``text``."""
    return (f"el => el && ((el.innerText || '') + ' ' + (el.labels && el.labels[0] ? el.labels[0].innerText : '')"
            f" + ' ' + (el.value || '')).includes({text!r})")


@pytest.fixture
def unit(teacher, classroom):
    """The teacher's unit: a reading, a glossary and approved questions of three kinds."""
    unit = make_unit(teacher, "fisheries", "Fisheries diplomacy", glossary=GLOSSARY)
    passage = unit.sources[0].passages[0]
    add_question(unit, Plain(type="multiple_choice", stem="Where was the agreement signed?", answer="Oslo",
                             choices=["Oslo", "Santiago", "Bergen", "Lima"], explanation="It was signed in Oslo."),
                 passage=passage, tags=["signing"])
    add_question(unit, Plain(type="true_false", stem="Chile will receive research vessels.", answer="true"),
                 passage=passage, tags=["vessels"])
    add_question(unit, Plain(type="short_answer", stem="Which city hosted the signing?", answer="Oslo"),
                 passage=passage, tags=["signing"])
    return unit


def test_a_quiz_from_building_to_the_gradebook(app, page, new_page, teacher, student, classroom, unit):
    """The teacher builds and assigns a quiz; the student takes it with the keyboard alone; the teacher
    sees the result on the quiz, the progress page and the gradebook; the student reviews it."""
    log_in(page, teacher)
    nav(page, "Quizzes")
    page.get_by_role("link", name=re.compile("New quiz")).first.click()
    page.get_by_label("Title").fill("Fisheries check")
    page.get_by_label("Questions per page").fill("3")
    page.get_by_role("button", name="Create quiz").click()
    page.wait_for_url(re.compile(r"/questions$"))  # straight on to adding questions
    for stem in ("Where was the agreement signed?", "Chile will receive research vessels.",
                 "Which city hosted the signing?"):
        page.get_by_label(stem).check()
    page.get_by_role("button", name="Add ticked questions").click()
    assert page.get_by_text("Which city hosted the signing?").count()
    page.get_by_label("Class", exact=True).select_option(label="Civics A")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_role("cell", name="Civics A").first.wait_for()

    pupil = new_page()
    log_in(pupil, student)
    # From here the student uses the keyboard only.
    press_until_focused(pupil, "Tab", focus_text("Fisheries check"))
    pupil.keyboard.press("Enter")
    pupil.wait_for_url(re.compile(r"/quizzes/assignments/\d+$"))
    press_until_focused(pupil, "Tab", focus_text("Start attempt"))
    pupil.keyboard.press("Enter")
    pupil.wait_for_url(re.compile(r"/quizzes/attempts/\d+"))
    press_until_focused(pupil, "Tab", "el => el && el.type === 'radio'")
    for _ in range(4):  # arrow keys move through a radio group and select as they go
        if pupil.evaluate("document.activeElement.labels[0].innerText").strip() == "Oslo":
            break
        pupil.keyboard.press("ArrowDown")
    assert pupil.evaluate("document.activeElement.checked")
    press_until_focused(pupil, "Tab", "el => el && el.type === 'radio' && el.name !== document.querySelector("
                                      "'input[type=radio]').name")
    pupil.keyboard.press("Space")  # the first choice of the true/false question: True
    press_until_focused(pupil, "Tab", "el => el && el.tagName === 'INPUT' && el.type === 'text'")
    pupil.keyboard.type("Oslo")
    press_until_focused(pupil, "Tab", focus_text("Finish attempt"))
    pupil.keyboard.press("Enter")
    pupil.wait_for_url(re.compile(r"/finish$"))
    press_until_focused(pupil, "Tab", focus_text("Submit my answers"))
    pupil.keyboard.press("Enter")
    pupil.wait_for_url(re.compile(r"/review$"))
    assert "3.0 / 3.0 (100%)" in pupil.locator("main").inner_text()
    assert "It was signed in Oslo." in pupil.locator("main").inner_text()  # the explanation, with its passage

    nav(page, "Progress")
    page.get_by_role("link", name="Gradebook").first.click()
    gradebook = page.get_by_role("table").first
    assert "Sam Student" in gradebook.inner_text() and "100" in gradebook.inner_text()
    page.get_by_role("link", name="Topic mastery").first.click()
    assert "signing" in page.locator("main").inner_text()

    nav(pupil, "Progress")
    assert "Fisheries check" in pupil.content()


@pytest.fixture
def prompt(teacher, unit):
    """A prompt of the teacher's on the unit."""
    from quiz.debates.services import save_prompt

    return save_prompt(None, teacher, unit, title="Is the pact fair?", question="Is the pact fair to Chile?",
                       framing="Chile receives vessels; critics say the deal favours Norway.",
                       positions=[{"stance": "for", "summary": "Chile gains ships."},
                                  {"stance": "against", "summary": "Quotas are too high."}], evidence=[])


def assign(page, classroom, kind: str) -> None:
    """Set the prompt to the class through the assign form."""
    page.goto(f"/debates/classes/{classroom.id}")
    page.get_by_role("link", name="Assign a prompt").click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_load_state()


def open_work(page, classroom, kind: str) -> None:
    """Open the class's discussion, essay or debate from its list of work."""
    page.goto(f"/debates/classes/{classroom.id}")
    page.get_by_role("row").filter(has_text=kind).get_by_role("link", name="Is the pact fair?").click()


def test_discussion_essay_and_live_debate(app, page, new_page, teacher, student, classroom, prompt):
    """A cited post in Markdown, an essay graded with the rubric and released, and a live debate with a
    side, a speaker and a vote: each seen from both sides."""
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, teacher)
    for kind in ("A discussion thread", "An essay", "A live debate"):
        assign(page, classroom, kind)
    pupil = new_page()
    pupil.on("dialog", lambda dialog: dialog.accept())
    log_in(pupil, student)

    open_work(pupil, classroom, "discussion")
    pupil.get_by_label("For", exact=True).check()
    pupil.get_by_role("textbox", name="Your post").fill("Chile gains **forty** research vessels, which is fair.")
    pupil.get_by_label("Cite passages").select_option(index=0)
    pupil.get_by_role("button", name="Post", exact=True).click()
    post = pupil.locator("article").filter(has_text="research vessels, which is fair")
    assert post.locator("strong", has_text="forty").count() == 1  # Markdown, rendered
    assert "Harbour Pact Signed" in post.inner_text()  # the citation
    open_work(page, classroom, "discussion")
    assert "Sam Student" in page.locator("main").inner_text()

    open_work(pupil, classroom, "essay")
    pupil.get_by_role("textbox", name="Your essay").fill("The pact is fair: Chile receives forty research vessels.")
    pupil.get_by_role("button", name="Submit", exact=True).click()
    pupil.locator(".flash", has_text="Essay submitted").wait_for()
    open_work(page, classroom, "essay")
    page.get_by_role("link", name="Grade").click()
    for fieldset in page.locator("fieldset.criterion").all():
        fieldset.locator("input[type=radio]").last.check()
    page.get_by_label("Comment for the student").fill("Clear and well supported.")
    page.get_by_role("button", name="Save grade").click()
    page.wait_for_load_state()
    open_work(page, classroom, "essay")
    page.get_by_role("button", name="Release graded essays").click()
    page.wait_for_load_state()
    open_work(pupil, classroom, "essay")
    assert "Clear and well supported." in pupil.locator("main").inner_text()

    open_work(page, classroom, "debate")
    live = page.url
    open_work(pupil, classroom, "debate")
    pupil.get_by_label("For", exact=True).check()
    pupil.get_by_role("button", name="Take this side").click()
    pupil.get_by_role("button", name="Ask to speak").click()
    page.goto(live)
    page.get_by_role("button", name="Start the first round").click()
    page.get_by_role("button", name="Give the floor").click()
    page.get_by_role("button", name="Skip to the final vote").click()
    pupil.reload()
    pupil.get_by_label("For the motion").check()
    pupil.get_by_role("button", name="Vote", exact=True).click()
    page.get_by_role("button", name="Close the vote and show the result").click()
    page.wait_for_load_state()
    result = page.locator("main").inner_text()
    assert "The for side wins." in result and "Sam Student" in result
