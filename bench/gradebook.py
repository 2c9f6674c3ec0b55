"""Time the gradebook, item analysis and CSV export on a large class (SQLite, or PostgreSQL).

Builds a class of 300 students with 20 quizzes of 20 questions each, every student having finished
every quiz, with bulk inserts; then requests each page through the test client as the class's
teacher and reports the best and median of several runs.

    .venv/bin/python bench/gradebook.py                       # SQLite in a temporary folder
    .venv/bin/python bench/gradebook.py --database postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/gradebook.py --students 30 --quizzes 5 --runs 3   # a quick look

On PostgreSQL it works in a scratch schema of its own and drops it afterwards.

``build_class`` is also what the query-count tests use to make their 5- and 200-student classes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TAGS = ["signing", "terms", "reactions", "background", "fisheries", "law", "science", "trade"]
CHOICES = ["Oslo", "Bergen", "Santiago", "Lima"]


def _plain(n: int, tags: list[str]):
    """The n-th question of the fake bank: multiple choice, true/false or cloze, each with a tag."""
    from question_bank.model import Question as PlainQuestion

    tag = [tags[n % len(tags)]]
    if n % 3 == 0:
        return PlainQuestion(type="multiple_choice", stem=f"Question {n}: where was pact {n} signed?",
                             answer=CHOICES[n % 4], choices=list(CHOICES), tags=tag)
    if n % 3 == 1:
        return PlainQuestion(type="true_false", stem=f"Question {n}: statement {n} is true.",
                             answer="true" if n % 2 else "false", tags=tag)
    return PlainQuestion(type="cloze", stem=f"Question {n}: the pact was signed in _____.", answer=str(1990 + n),
                         accepted=[str(1990 + n)], tags=tag)


def _response(plain, right: bool, rng: random.Random):
    if right:
        return plain.answer
    if plain.type == "multiple_choice":
        return rng.choice([c for c in plain.choices if c != plain.answer][:2])  # the last distractor goes unpicked
    if plain.type == "true_false":
        return "false" if plain.answer == "true" else "true"
    return "1066"


def build_class(db, teacher, classroom, *, students: int, quizzes: int, questions: int, seed: int = 1,
                when=None) -> dict:
    """Add ``students`` students to ``classroom`` and ``quizzes`` quizzes of ``questions`` questions,
    each assigned to the class and finished once by every student (bulk inserts; commits)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from question_bank.models import QuestionStatus, Unit
    from quiz.auth.models import User
    from quiz.bank.services import store_question
    from quiz.classes.models import MemberRole, Membership
    from quiz.quizzes.models import Assignment, Attempt, AttemptSlot, AttemptStatus, Quiz, QuizItem

    rng = random.Random(seed)
    when = when or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    tag = uuid.uuid4().hex[:8]
    user_ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": f"bulk{n}.{tag}@example.org", "display_name": f"Student {n:03d}", "password_hash": "!",
         "role": "student"} for n in range(students)]))
    db.session.execute(insert(Membership), [
        {"classroom_id": classroom.id, "user_id": user_id, "role": MemberRole.STUDENT} for user_id in user_ids])
    unit = Unit(slug=f"bulk-{tag}", title="Bulk unit", owner=teacher)
    db.session.add(unit)
    bank = [store_question(unit, _plain(n, TAGS), owner=teacher, origin="authored", status=QuestionStatus.APPROVED)
            for n in range(quizzes * questions)]
    db.session.flush()
    ability = {user_id: rng.random() for user_id in user_ids}
    assignments = []
    for q in range(quizzes):
        quiz = Quiz(owner=teacher, title=f"Quiz {q + 1:02d}", questions_per_page=0)
        chosen = bank[q * questions:(q + 1) * questions]
        quiz.items = [QuizItem(question=question, position=n, marks=1.0) for n, question in enumerate(chosen)]
        assignment = Assignment(quiz=quiz, classroom=classroom, closes_at=when + timedelta(days=q))
        db.session.add(assignment)
        assignments.append((assignment, chosen))
    db.session.flush()
    plains = {question.id: question.to_plain() for question in bank}
    snapshots = {question_id: plain.to_dict() for question_id, plain in plains.items()}
    for number, (assignment, chosen) in enumerate(assignments):
        finished = when + timedelta(days=number, hours=-1)
        outcomes = {user_id: [rng.random() < 0.25 + 0.7 * ability[user_id] * (1 - 0.3 * (n % 3) / 2)
                              for n in range(len(chosen))] for user_id in user_ids}
        attempt_ids = list(db.session.scalars(
            insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True),
            [{"assignment_id": assignment.id, "student_id": user_id, "number": 1,
              "status": AttemptStatus.FINISHED, "started_at": finished - timedelta(minutes=20),
              "finished_at": finished, "finish_reason": "submitted", "score": float(sum(outcomes[user_id])),
              "max_score": float(len(chosen)), "needs_grading": False} for user_id in user_ids]))
        slots = []
        for attempt_id, user_id in zip(attempt_ids, user_ids, strict=True):
            for position, (question, right) in enumerate(zip(chosen, outcomes[user_id], strict=True)):
                slots.append({"attempt_id": attempt_id, "position": position, "page": 0,
                              "question_id": question.id, "question_version": 1,
                              "snapshot": snapshots[question.id], "display": {}, "marks": 1.0,
                              "response": _response(plains[question.id], right, rng), "saved_at": finished,
                              "fraction": 1.0 if right else 0.0, "score": 1.0 if right else 0.0, "feedback": ""})
        if slots:
            db.session.execute(insert(AttemptSlot), slots)
    db.session.commit()
    return {"students": user_ids, "assignments": [a.id for a, _ in assignments], "unit": unit.id}


# --------------------------------------------------------------------------- the benchmark


def _database(url: str | None):
    """A database URL to migrate and use, and a function that removes it afterwards."""
    from sqlalchemy import create_engine, text

    if not url:
        folder = tempfile.mkdtemp(prefix="bench-gradebook-")
        return f"sqlite:///{folder}/bench.sqlite", lambda: None
    from quiz.config import database_url

    base = database_url(url, "")
    schema = "bench_" + uuid.uuid4().hex[:8]
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))

    def drop():
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()

    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", drop


def _time(client, url: str, runs: int) -> tuple[float, float, float, int]:
    """Best and median wall milliseconds of ``runs`` GETs, the best CPU milliseconds of this process (less
    disturbed by other work on the machine; the database server's time is not in it), and the size."""
    client.get(url)  # warm the template cache
    times, cpu, size = [], [], 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return min(times), statistics.median(times), min(cpu), size


def main(argv: list[str] | None = None) -> int:
    """Build the class, then time the three reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--quizzes", type=int, default=20)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    import os

    os.environ.setdefault("DEBRIEF_INSTANCE", tempfile.mkdtemp(prefix="bench-instance-"))
    from flask_migrate import upgrade

    from quiz import create_app
    from quiz.auth.services import create_user
    from quiz.classes.services import create_class
    from quiz.extensions import db

    url, drop = _database(args.database)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            upgrade(revision="heads")
            teacher = create_user("bench.teacher@example.org", "Bench Teacher", "correct horse battery", "teacher")
            db.session.commit()
            classroom = create_class(teacher, "Bench class")
            start = time.perf_counter()
            built = build_class(db, teacher, classroom, students=args.students, quizzes=args.quizzes,
                                questions=args.questions)
            build_seconds = time.perf_counter() - start
            teacher_login, class_id = teacher.get_id(), classroom.id
            assignment_id = built["assignments"][-1]
            db.session.remove()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = teacher_login
            session["_fresh"] = True
        dialect = "PostgreSQL" if args.database else "SQLite"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{dialect}, load average {load:.1f} on {os.cpu_count()} cores: "
              f"{args.students} students × {args.quizzes} quizzes × {args.questions} questions "
              f"({args.students * args.quizzes * args.questions:,} answers) built in {build_seconds:.1f} s")
        print(f"{'page':<16} {'best':>8} {'median':>8} {'best CPU':>9} {'size':>10}")
        for name, path in (("gradebook", f"/progress/classes/{class_id}/gradebook"),
                           ("item analysis", f"/progress/assignments/{assignment_id}/items"),
                           ("CSV export", f"/progress/classes/{class_id}/gradebook.csv")):
            best, median, cpu, size = _time(client, path, args.runs)
            print(f"{name:<16} {best:>6.0f} ms {median:>6.0f} ms {cpu:>6.0f} ms {size / 1024:>7.0f} KB")
        with app.app_context():
            db.engine.dispose()
    finally:
        drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
