"""A world with one of everything on each of two sides, for walking every route of the app.

Side "a" is ``teacher``'s class with ``student`` and a ``classmate``; side "b" is ``other_teacher``'s
class with ``other_student``. Every object carries a marker string (``LEAKA...``/``LEAKB...``) so a
page can be searched for anything of the other side's, or of a classmate's private work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests.conftest import log_in, make_user

PERSONAS = ("anonymous", "student", "classmate", "other_student", "teacher", "other_teacher", "admin")
SIDE_OF = {"student": "a", "classmate": "a", "teacher": "a", "other_student": "b", "other_teacher": "b"}

ARTICLE = """Harbour Pact {mark}

Published 3 March 2025

By Ana Reyes

The governments of Norway and Chile signed a fisheries agreement in Oslo on 3 March 2025. The
Norwegian Prime Minister said the pact would protect salmon stocks. The archive code is {mark}.

Under the agreement, Chile will receive up to 40 research vessels over five years. Officials said
more than 2,000 scientists would take part in joint surveys.

The European Union welcomed the deal, while Greenpeace warned that quotas remained too high.
"""


@dataclass
class Side:
    """One class's people and objects, with the markers written into them."""

    name: str
    ids: dict[str, int] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)
    """Marker strings by what they are in (``reading``, ``post``...); anyone outside the class must not see them."""
    private: dict[str, str] = field(default_factory=dict)
    """Markers of the student's own work that even a classmate must not see."""


def marker(side: str, what: str) -> str:
    """A string that appears nowhere else: ``LEAKA7READING``."""
    return f"LEAK{side.upper()}7{re.sub(r'[^A-Z]', '', what.upper())}"


def build_side(name: str, teacher, student, classroom, db, label=None) -> Side:
    """Everything a class can hold; each piece of user text is ``label(what)`` (by default a marker)."""
    from question_bank.model import Question as Plain
    from question_bank.models import QuestionStatus, Unit
    from quiz import clock
    from quiz.bank.services import add_reading, store_question
    from quiz.debates.services import assign_prompt, request_to_speak, save_prompt
    from quiz.discussions.services import add_post
    from quiz.essays.services import STANDARD_RUBRIC, grade_essay, save_essay, save_rubric
    from quiz.practice.services import record_question_outcome, start_session
    from quiz.quizzes.services import (
        add_questions,
        add_rule,
        assign,
        create_quiz,
        finish,
        grade_manually,
        save_answer,
        start_attempt,
    )

    side = Side(name)
    m = side.markers
    chosen = label or (lambda what: marker(name, what))

    def label(what: str) -> str:
        m.setdefault(what, chosen(what))
        return m[what]

    for what in ("class", "unit", "reading", "stem", "quiz", "instructions", "prompt", "rubric", "discussion",
                 "teachername", "studentname", "post"):
        m[what] = label(what)
    # Cut to the columns' sizes (PostgreSQL enforces them) for long labels such as the XSS test's.
    classroom.name, classroom.subject, classroom.term = m["class"][:120], label("subject")[:120], label("term")[:60]
    teacher.display_name, student.display_name = m["teachername"][:80], m["studentname"][:80]
    # Emails carry markers too ("student@..." would be found inside "other.student@...").
    teacher.email = f"{marker(name, 'teacheremail').lower()}@example.org"
    student.email = f"{marker(name, 'studentemail').lower()}@example.org"
    m["teacheremail"], side.private["studentemail"] = teacher.email, student.email

    unit = Unit(slug=f"unit-{name}", title=m["unit"], owner=teacher, summary=label("summary"),
                subject=label("subject")[:120], glossary=[{"term": label("term"), "definition": label("definition"),
                                                     "aliases": [], "sources": [], "tags": []}])
    db.session.add(unit)
    db.session.commit()
    source = add_reading(unit, teacher, ARTICLE.format(mark=m["reading"]).encode(), f"reading-{name}.txt",
                         title=m["reading"], publisher=label("publisher"), author=label("author"))
    passage = source.passages[1]
    stems = {
        "multiple_choice": Plain(type="multiple_choice", stem=f"Where was it signed? {m['stem']}", answer="Oslo",
                                 choices=["Oslo", "Bergen", "Santiago", label("choice")], tags=["signing"],
                                 explanation=label("explanation"), feedback={"Bergen": label("choicefeedback")}),
        "short_answer": Plain(type="short_answer", stem=f"Which city? {m['stem']}", answer="Oslo",
                              accepted=[label("accepted")], tags=["signing"]),
        "essay": Plain(type="essay", stem=f"Was the pact fair? {m['stem']}", tags=["signing"]),
        "true_false": Plain(type="true_false", stem=f"Chile gets vessels. {m['stem']}", answer="true",
                            tags=["vessels"]),
    }
    questions = {kind: store_question(unit, plain, owner=teacher, origin="authored",
                                      status=QuestionStatus.APPROVED) for kind, plain in stems.items()}
    for question in questions.values():
        question.passage = passage
    draft = store_question(unit, Plain(type="true_false", stem=f"A draft. {m['stem']}", answer="false"),
                           owner=teacher, origin="authored", status=QuestionStatus.DRAFT)
    db.session.commit()

    quiz = create_quiz(teacher, title=m["quiz"], instructions=m["instructions"],
                       attempts_allowed=2, questions_per_page=10, shuffle_choices=False)
    add_questions(quiz, teacher, [questions[k].id for k in ("multiple_choice", "short_answer", "essay")])
    rule = add_rule(quiz, teacher, count=1, unit_id=unit.id, types=["true_false"])
    assignment = assign(quiz, teacher, classroom)
    done = start_attempt(assignment, student)
    private = side.private
    private["answer"], private["feedback"] = label("answer"), label("feedback")
    private["essay"], private["comment"] = label("essaytext"), label("comment")
    for slot in done.slots:
        if slot.question.type == "short_answer":
            save_answer(done, slot.id, f"Bergen {private['answer']}")
        if slot.question.type == "essay":
            save_answer(done, slot.id, f"It was fair {private['answer']}")
            essay_slot = slot
    finish(done)
    grade_manually(essay_slot, teacher, 1.0, f"Good {private['feedback']}")
    current = start_attempt(assignment, student)

    prompt = save_prompt(None, teacher, unit, title=m["prompt"], question=label("question"),
                         framing=label("framing"),
                         positions=[{"stance": "for", "summary": label("position")},
                                    {"stance": "against", "summary": "No."}],
                         evidence=[{"source": "", "quote_hint": "40 research vessels"}])
    criterion = label("criterion").replace(":", "").replace("-", "") or "Argument"
    rubric_text = f"{criterion}: {label('criteriontext')}\n- 1 Weak: {label('level')}\n- 2 Strong: clear\n"
    rubric = save_rubric(None, teacher, m["rubric"], rubric_text + STANDARD_RUBRIC)
    discussion = assign_prompt(classroom, teacher, prompt, "discussion", instructions=m["discussion"])
    essay_assignment = assign_prompt(classroom, teacher, prompt, "essay", rubric=rubric)
    debate = assign_prompt(classroom, teacher, prompt, "debate")
    post = add_post(discussion, student, f"Chile gains ships {m['post']}", "for", [passage.id])
    essay = save_essay(essay_assignment, student, f"Chile gains forty ships {private['essay']}", submit=True)
    scores = {criterion.id: criterion.levels[-1].id for criterion in rubric.criteria}
    grade_essay(essay, teacher, scores, f"Well argued {private['comment']}")
    speaker = request_to_speak(debate.live, student)

    session = start_session(student, [unit.id], [], 5, clock.now())
    review = record_question_outcome(student, questions["multiple_choice"], 0.0, clock.now())

    side.ids = {
        "class": classroom.id, "student": student.id, "teacher": teacher.id, "unit": unit.id,
        "source": source.id, "question": draft.id, "quiz": quiz.id, "item": quiz.items[-1].id,
        "rule": rule.id, "quiz_assignment": assignment.id, "attempt": current.id,
        "slot": current.slots[0].id, "done": done.id, "done_slot": done.slots[0].id,
        "prompt": prompt.id, "discussion": discussion.id, "essay_assignment": essay_assignment.id,
        "debate": debate.id, "post": post.id, "essay": essay.id, "rubric": rubric.id,
        "speaker": speaker.id, "session": session.id, "position": 1, "card": review.card_id,
        "review": review.id,
    }
    return side


@dataclass
class World:
    """Both sides, the people, and a logged-in client per persona (made on first use)."""

    app: object
    people: dict
    a: Side
    b: Side
    clients: dict = field(default_factory=dict)

    def client(self, persona: str):
        """A client logged in as ``persona`` (anonymous: not logged in), reused across calls."""
        if persona not in self.clients:
            client = self.app.test_client()
            if persona != "anonymous":
                log_in(client, self.people[persona])
            self.clients[persona] = client
        return self.clients[persona]

    def counts(self) -> dict[str, int]:
        """Rows per table: a refused request must leave every count as it was."""
        from sqlalchemy import func, select

        from quiz.extensions import db

        with self.app.app_context():
            return {table.name: db.session.scalar(select(func.count()).select_from(table))
                    for table in db.metadata.sorted_tables}

    def side(self, name: str) -> Side:
        """Side "a" or "b"."""
        return self.a if name == "a" else self.b

    def forbidden(self, persona: str) -> dict[str, str]:
        """Markers ``persona`` must never see, on any page: the other side's, and a classmate's private work."""
        own = SIDE_OF.get(persona)
        hidden: dict[str, str] = {}
        for side in (self.a, self.b):
            if side.name != own:
                hidden.update({f"{side.name}:{k}": v for k, v in {**side.markers, **side.private}.items()})
        if persona == "classmate":
            hidden.update({f"a:{k}": v for k, v in self.a.private.items()})
        return hidden


def _people(db) -> dict:
    """The personas of tests/conftest.py, made directly (the world outlives one test), and a classmate."""
    from quiz.classes.models import MemberRole, Membership
    from quiz.classes.services import create_class

    people = {
        "teacher": make_user("teacher@example.org", "Tess Teacher", "teacher"),
        "other_teacher": make_user("other.teacher@example.org", "Otto Other", "teacher"),
        "student": make_user("student@example.org", "Sam Student"),
        "classmate": make_user("classmate@example.org", "Cara Classmate"),
        "other_student": make_user("other.student@example.org", "Olga Other"),
        "admin": make_user("admin@example.org", "Ada Admin", "admin"),
    }
    people["classroom"] = create_class(people["teacher"], "Civics A", "Civics", "Autumn")
    people["other_classroom"] = create_class(people["other_teacher"], "Civics B", "Civics", "Autumn")
    for classroom, members in ((people["classroom"], ("student", "classmate")),
                               (people["other_classroom"], ("other_student",))):
        for name in members:
            db.session.add(Membership(classroom=classroom, user=people[name], role=MemberRole.STUDENT))
    db.session.commit()
    return people


@pytest.fixture(scope="module")
def world(database_url):
    """Two classes with one of everything each (see the module doc), shared by a module's tests.

    Built once per module because it is large; tests using it only read, or send requests that
    must be refused. It has its own app: do not combine it with the ``app`` or ``db`` fixtures.
    """
    from quiz import create_app
    from quiz.extensions import db
    from tests.conftest import CsrfClient, _empty_database

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = CsrfClient
    with app.app_context():
        people = _people(db)
        a = build_side("a", people["teacher"], people["student"], people["classroom"], db)
        b = build_side("b", people["other_teacher"], people["other_student"], people["other_classroom"], db)
        db.session.commit()
        yield World(app=app, people=people, a=a, b=b)
        db.session.rollback()
        _empty_database(db)
        db.session.remove()
        db.engine.dispose()


# --------------------------------------------------------------------------- filling in URLs

# Which object each URL variable names. ``assignment_id`` depends on the blueprint.
VARIABLES = {
    "class_id": "class", "unit_id": "unit", "source_id": "source", "question_id": "question",
    "quiz_id": "quiz", "item_id": "item", "rule_id": "rule", "attempt_id": "attempt", "slot_id": "slot",
    "prompt_id": "prompt", "post_id": "post", "essay_id": "essay", "rubric_id": "rubric",
    "speaker_id": "speaker", "session_id": "session", "position": "position", "card_id": "card",
    "review_id": "review", "user_id": "student", "student_id": "student",
}
ASSIGNMENTS = {"quizzes": "quiz_assignment", "progress": "quiz_assignment", "discussions": "discussion",
               "essays": "essay_assignment", "debates": "debate"}
# Endpoints whose variables mean something more specific than VARIABLES says.
SPECIFIC = {
    "quizzes.review": {"attempt_id": "done"},
    "quizzes.grade_slot": {"slot_id": "done_slot"},
    "quizzes.rubric_grade_slot": {"slot_id": "done_slot"},
    "classes.remove_teacher": {"user_id": "teacher"},
}
CONVERTER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def fill(rule, side: Side) -> str:
    """The rule's URL with every variable filled from ``side`` (``any(...)`` takes its first choice)."""
    blueprint = rule.endpoint.split(".")[0]

    def value(match: re.Match) -> str:
        converter, arguments, variable = match.groups()
        if converter == "any":
            return arguments.split(",")[0].strip()
        if converter == "path":
            return "css/app.css"
        if variable == "assignment_id":
            key = ASSIGNMENTS.get(blueprint)
        else:
            key = SPECIFIC.get(rule.endpoint, {}).get(variable) or VARIABLES.get(variable)
        if key is None:
            raise AssertionError(f"tests/attacks/conftest.py does not know what {variable} of {rule.endpoint} "
                                 "names: add it to VARIABLES or SPECIFIC")
        return str(side.ids[key])

    return CONVERTER.sub(value, rule.rule)


def routes(app, method: str):
    """The app's rules answering ``method``, in a stable order."""
    return sorted((rule for rule in app.url_map.iter_rules() if method in rule.methods), key=lambda r: r.rule)
