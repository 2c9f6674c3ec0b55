"""What the web benchmarks share: a database of their own, seed data, cookies, a real gunicorn.

Nothing here is imported by the app. Seed data goes in with bulk inserts inside an app context (no web
round trips); session cookies are signed with the app's own serializer, as a logged-in browser holds them.
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USER_AGENT = "debrief-bench/1"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432"
PASSWORD = "correct horse battery staple 7"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def table(headers: list[str], rows: list[list], title: str = "") -> str:
    """A Markdown table (it reads as plain text too)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda values: "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"  # noqa: E731
    out = [title] if title else []
    out += [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)]
    return "\n".join(out)


def load_average() -> str:
    """The machine load now, as `uptime` prints it."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --------------------------------------------------------------------------- a database and an environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_postgres_database(server_url: str, name: str, *, create: bool = True) -> str:
    """Drop and create the benchmark's own database (only names starting with "bench"); or only drop it."""
    import psycopg

    if not name.startswith("bench"):
        raise SystemExit(f"refusing to recreate {name!r}: benchmark databases are named bench*")
    with psycopg.connect(server_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


@dataclass
class Site:
    """One benchmark's deployment: an instance folder, a database, the production environment."""

    database: str
    name: str
    pg_server: str = PG_DEFAULT
    instance: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="debrief-bench-")))
    env: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(DEBRIEF_CONFIG="production", SECRET_KEY=secrets.token_hex(32), DEBRIEF_HTTPS="0",
                   DEBRIEF_INSTANCE=str(self.instance), LOG_LEVEL="WARNING",
                   RATELIMIT_KEY_PREFIX=f"bench-{secrets.token_hex(4)}")
        if redis_is_up():
            env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        if self.database == "postgresql":
            env["DATABASE_URL"] = recreate_postgres_database(self.pg_server, f"bench_{self.name}")
        self.env = env

    def migrate(self) -> None:
        """The schema through the migrations, as production gets it."""
        done = subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade", "heads"], cwd=REPO,
                              env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit("flask db upgrade failed:\n" + done.stderr[-3000:])

    def app(self):
        """The app as the server makes it (same environment), for seeding and reconciling."""
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)
        try:
            from quiz import create_app

            return create_app()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def remove(self) -> None:
        """Delete the instance folder (the SQLite file, the server's log); the PostgreSQL database stays."""
        import shutil

        shutil.rmtree(self.instance, ignore_errors=True)

    def drop_database(self) -> None:
        """Drop the site's PostgreSQL database, for runs that must leave nothing on a shared server."""
        if self.database == "postgresql":
            recreate_postgres_database(self.pg_server, f"bench_{self.name}", create=False)

    @property
    def label(self) -> str:
        return "SQLite (WAL)" if self.database == "sqlite" else "PostgreSQL 15"


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------- the server


class Server:
    """gunicorn with the production config (gunicorn.conf.py), on a free loopback port."""

    def __init__(self, site: Site, workers: int | None = 2, threads: int | None = None) -> None:
        self.site, self.workers, self.threads = site, workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = site.instance / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{self.port}"]
        if self.workers:
            command += ["-w", str(self.workers)]
        if self.threads:
            command += ["--threads", str(self.threads)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*command, "app:app"], cwd=REPO, env=self.site.env,
                                            stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}:\n" + self.log.read_text()[-2000:])
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).close()  # noqa: S310 - loopback
                if len(self.worker_pids()) >= (self.workers or 1):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer in {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def kill_worker(self) -> int:
        """SIGKILL one worker (the master starts another); returns its pid."""
        pid = random.choice(self.worker_pids())
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self, kill: bool = False) -> None:
        """Stop the master and its workers (SIGTERM, graceful; or SIGKILL to the whole group)."""
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            os.killpg(self.process.pid, signal.SIGKILL)
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- seed data

# 20 auto-graded questions of every type (no essays, so every submit grades fully).
QUESTION_MIX = (["multiple_choice"] * 6 + ["true_false"] * 4 + ["cloze"] * 3 + ["numeric"] * 2
                + ["short_answer"] * 2 + ["matching"] * 2 + ["ordering"] * 1)


def plain_question(kind: str, n: int):
    """One plain question of a type, numbered so each is distinct."""
    from question_bank.model import Question as PlainQuestion

    tags = [["signing"], ["terms"], ["reactions"], ["background"]][n % 4]
    if kind == "multiple_choice":
        return PlainQuestion(type=kind, stem=f"Q{n}: where was treaty {n} signed?", answer=f"Pyongyang {n}",
                             choices=[f"Pyongyang {n}", f"Moscow {n}", f"Vladivostok {n}", f"Beijing {n}"],
                             explanation=f"It was signed in Pyongyang {n}.", tags=tags)
    if kind == "true_false":
        return PlainQuestion(type=kind, stem=f"Q{n}: clause {n} promises mutual assistance.",
                             answer="true" if n % 2 else "false", tags=tags)
    if kind == "cloze":
        return PlainQuestion(type=kind, stem=f"Q{n}: the treaty was signed in June _____ (part {n}).",
                             answer="2024", accepted=["2024"], tags=tags)
    if kind == "numeric":
        return PlainQuestion(type=kind, stem=f"Q{n}: how many articles does part {n} have?", answer=str(20 + n),
                             tolerance=0, unit="articles", tags=tags)
    if kind == "short_answer":
        return PlainQuestion(type=kind, stem=f"Q{n}: which body must ratify it?", answer="State Duma",
                             accepted=["the Duma"], tags=tags)
    if kind == "matching":
        return PlainQuestion(type=kind, stem=f"Q{n}: match each party to its role.",
                             pairs=[(f"Russia {n}", "signatory"), (f"North Korea {n}", "partner"),
                                    (f"South Korea {n}", "critic")], tags=tags)
    return PlainQuestion(type=kind, stem=f"Q{n}: put these in order.",
                         items=[f"1961 ({n})", f"2000 ({n})", f"2019 ({n})", f"2024 ({n})"], tags=tags)


def answer_form(snapshot: dict, display: dict, prefix: str, rng: random.Random) -> tuple[dict, object]:
    """A browser's form fields answering one slot (right or wrong at random), and the response stored."""
    kind = snapshot["type"]
    right = rng.random() < 0.7
    if kind == "multiple_choice":
        value = snapshot["answer"] if right else rng.choice(display.get("choices") or snapshot["choices"])
        return {prefix: value}, value
    if kind == "true_false":
        value = snapshot["answer"] if right else rng.choice(["true", "false"])
        return {prefix: value}, value
    if kind in ("cloze", "short_answer", "numeric"):
        value = snapshot["answer"] if right else f"guess {rng.randint(1, 999)}"
        if kind == "numeric" and not right:
            value = str(rng.randint(1, 99))
        return {prefix: value}, value
    if kind == "matching":
        definitions = [d for _, d in snapshot["pairs"]]
        if not right:
            rng.shuffle(definitions)
        chosen = {term: definition for (term, _), definition in zip(snapshot["pairs"], definitions, strict=True)}
        return {f"{prefix}-{i}": chosen[term] for i, (term, _) in enumerate(snapshot["pairs"])}, chosen
    shown = display.get("items") or snapshot["items"]
    ranked = list(snapshot["items"])
    if not right:
        rng.shuffle(ranked)
    return {f"{prefix}-{i}": str(ranked.index(item) + 1) for i, item in enumerate(shown)}, ranked


@dataclass
class Seeded:
    """Ids the benchmarks need."""

    teacher_id: int
    question_ids: list[int]
    classes: dict[str, int] = field(default_factory=dict)
    students: dict[str, list[int]] = field(default_factory=dict)
    assignments: dict[str, int] = field(default_factory=dict)
    quizzes: list[int] = field(default_factory=list)


def seed_base(app, password_hash: str | None = None) -> Seeded:
    """A teacher, a unit of 20 approved questions of mixed types, and one quiz of them."""
    from question_bank.models import QuestionStatus, Unit
    from quiz.auth.models import Role, User
    from quiz.auth.passwords import hash_password
    from quiz.bank.services import store_question
    from quiz.extensions import db

    with app.app_context():
        hashed = password_hash or hash_password(PASSWORD)
        teacher = User(email="teacher@bench.example", display_name="Bench Teacher", password_hash=hashed,
                       role=Role.TEACHER)
        db.session.add(teacher)
        unit = Unit(slug="bench", title="Treaty bench unit", owner=teacher)
        db.session.add(unit)
        questions = [store_question(unit, plain_question(kind, n), owner=teacher, origin="authored",
                                    status=QuestionStatus.APPROVED) for n, kind in enumerate(QUESTION_MIX)]
        db.session.commit()
        return Seeded(teacher_id=teacher.id, question_ids=[q.id for q in questions])


def add_quiz(app, seeded: Seeded, title: str, **settings) -> int:
    """A quiz of the 20 questions (5 a page, choices shuffled, unlimited attempts unless told)."""
    from quiz.extensions import db
    from quiz.quizzes.models import Quiz, QuizItem

    with app.app_context():
        quiz = Quiz(owner_id=seeded.teacher_id, title=title, questions_per_page=5, shuffle_choices=True,
                    attempts_allowed=0, **settings)
        quiz.items = [QuizItem(question_id=qid, position=n + 1, marks=1.0)
                      for n, qid in enumerate(seeded.question_ids)]
        db.session.add(quiz)
        db.session.commit()
        seeded.quizzes.append(quiz.id)
        return quiz.id


def add_class(app, seeded: Seeded, name: str, students: int, password_hash: str) -> int:
    """A class of the teacher's with ``students`` new students (bulk inserted, one shared password hash)."""
    from sqlalchemy import insert, select

    from quiz.auth.models import Role, User
    from quiz.classes.models import Classroom, MemberRole, Membership
    from quiz.extensions import db

    with app.app_context():
        classroom = Classroom(name=name, owner_id=seeded.teacher_id)
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Membership(classroom_id=classroom.id, user_id=seeded.teacher_id, role=MemberRole.TEACHER))
        slug = name.lower().replace(" ", "-")
        if students:
            db.session.execute(insert(User), [
                {"email": f"{slug}-{n}@bench.example", "display_name": f"Student {n:04d} of {name}",
                 "password_hash": password_hash, "role": Role.STUDENT, "session_version": 1}
                for n in range(students)])
        ids = list(db.session.scalars(select(User.id).where(User.email.like(f"{slug}-%@bench.example"))
                                      .order_by(User.id)))
        if ids:
            db.session.execute(insert(Membership), [
                {"classroom_id": classroom.id, "user_id": uid, "role": MemberRole.STUDENT} for uid in ids])
        db.session.commit()
        seeded.classes[name] = classroom.id
        seeded.students[name] = ids
        return classroom.id


def add_assignment(app, seeded: Seeded, quiz_id: int, class_name: str) -> int:
    from quiz.extensions import db
    from quiz.quizzes.models import Assignment

    with app.app_context():
        assignment = Assignment(quiz_id=quiz_id, classroom_id=seeded.classes[class_name])
        db.session.add(assignment)
        db.session.commit()
        seeded.assignments[f"{quiz_id}:{class_name}"] = assignment.id
        return assignment.id


def bulk_attempts(app, assignment_id: int, student_ids: list[int], *, finished: bool = False,
                  first_number: int = 1, per_student: int = 1, seed: int = 0) -> list[dict]:
    """Attempts with their 20 slots, as ``start_attempt`` makes them, inserted in bulk.

    Finished attempts get answers (about 70% right) and are graded as ``grade_attempt`` grades. Returns,
    per attempt: id, student_id and its slots (id, snapshot, display).
    """
    from sqlalchemy import insert, select

    from question_bank.grading import grade
    from question_bank.model import Question as PlainQuestion
    from quiz import clock
    from quiz.answering import display_order
    from quiz.extensions import db
    from quiz.quizzes.models import Assignment, Attempt, AttemptSlot, AttemptStatus

    rng = random.Random(seed)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        quiz = assignment.quiz
        bank = [(item.question, item.marks) for item in quiz.items]
        plains = [(q, q.to_plain(), marks) for q, marks in bank]
        per_page = quiz.questions_per_page or 10**6
        now = clock.now()
        rows, slot_rows = [], []
        for student_id in student_ids:
            for k in range(per_student):
                slots = []
                score = 0.0
                for position, (question, plain, marks) in enumerate(plains):
                    display = display_order(plain, rng, quiz.shuffle_choices)
                    slot = {"position": position, "page": position // per_page, "question_id": question.id,
                            "question_version": question.version, "snapshot": plain.to_dict(),
                            "display": display, "marks": marks}
                    if finished:
                        _, response = answer_form(slot["snapshot"], display, "x", rng)
                        result = grade(PlainQuestion.from_dict(slot["snapshot"]), response)
                        slot.update(response=response, saved_at=now, fraction=result.fraction,
                                    score=round(result.fraction * marks, 4))
                        score += slot["score"]
                    slots.append(slot)
                rows.append({"assignment_id": assignment_id, "student_id": student_id,
                             "number": first_number + k, "started_at": now, "max_score": float(len(plains)),
                             "status": AttemptStatus.FINISHED if finished else AttemptStatus.IN_PROGRESS,
                             "finished_at": now if finished else None,
                             "finish_reason": "submitted" if finished else "",
                             "score": round(score, 4) if finished else None, "needs_grading": False})
                slot_rows.append(slots)
        ids = []
        for start in range(0, len(rows), 500):
            ids += list(db.session.scalars(insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True),
                                           rows[start:start + 500]))
        flat = [{**slot, "attempt_id": attempt_id}
                for attempt_id, slots in zip(ids, slot_rows, strict=True) for slot in slots]
        for start in range(0, len(flat), 2000):
            db.session.execute(insert(AttemptSlot), flat[start:start + 2000])
        db.session.commit()
        slot_ids = {}
        for attempt_id, slot_id, position in db.session.execute(
                select(AttemptSlot.attempt_id, AttemptSlot.id, AttemptSlot.position)
                .where(AttemptSlot.attempt_id.in_(ids))):
            slot_ids[(attempt_id, position)] = slot_id
        return [{"id": attempt_id, "student_id": row["student_id"],
                 "slots": [{"id": slot_ids[(attempt_id, s["position"])], "snapshot": s["snapshot"],
                            "display": s["display"]} for s in slots]}
                for attempt_id, row, slots in zip(ids, rows, slot_rows, strict=True)]


# --------------------------------------------------------------------------- cookies


@dataclass
class Login:
    """A logged-in browser's session cookie and the CSRF token its forms carry."""

    cookie: str
    csrf: str

    @property
    def header(self) -> str:
        return f"session={self.cookie}"


def logins(app, user_ids: list[int]) -> dict[int, Login]:
    """Session cookies as ``login_user`` leaves them, signed by the app (no web round trip)."""
    from itsdangerous import URLSafeTimedSerializer

    from quiz.auth.models import User
    from quiz.extensions import db, login_manager

    serializer = app.session_interface.get_signing_serializer(app)
    tokens = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT},
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        ident = login_manager._session_identifier_generator()
        result = {}
        for user_id in user_ids:
            user = db.session.get(User, user_id)
            raw = hashlib.sha1(os.urandom(64)).hexdigest()
            data = {"_user_id": user.get_id(), "_fresh": True, "_id": ident, "csrf_token": raw,
                    "_permanent": True}
            result[user_id] = Login(cookie=serializer.dumps(data), csrf=tokens.dumps(raw))
        return result


# --------------------------------------------------------------------------- reconciling


def stored_responses(app, attempt_ids: list[int]) -> dict[int, object]:
    """Slot id → the response the database holds."""
    from sqlalchemy import select

    from quiz.extensions import db
    from quiz.quizzes.models import AttemptSlot

    found = {}
    with app.app_context():
        for start in range(0, len(attempt_ids), 500):
            for slot_id, response in db.session.execute(
                    select(AttemptSlot.id, AttemptSlot.response)
                    .where(AttemptSlot.attempt_id.in_(attempt_ids[start:start + 500]))):
                found[slot_id] = response
        db.session.remove()
    return found


def attempt_rows(app, assignment_id: int) -> list[dict]:
    """Every attempt at an assignment: id, student, number, status, reason, score, finished_at."""
    from sqlalchemy import select

    from quiz.extensions import db
    from quiz.quizzes.models import Attempt

    with app.app_context():
        rows = [{"id": a.id, "student_id": a.student_id, "number": a.number, "status": a.status,
                 "reason": a.finish_reason, "score": a.score, "finished_at": a.finished_at,
                 "slots": [(s.id, s.response, s.score) for s in a.slots]}
                for a in db.session.scalars(select(Attempt).where(Attempt.assignment_id == assignment_id))]
        db.session.remove()
    return rows


def regrade(snapshot_rows: list[tuple[dict, object]]) -> float:
    """The score ``grade_attempt`` would give these (snapshot, response) pairs, one mark each."""
    from question_bank.grading import grade
    from question_bank.model import Question as PlainQuestion

    total = 0.0
    for snapshot, response in snapshot_rows:
        result = grade(PlainQuestion.from_dict(snapshot), response)
        total += round((result.fraction or 0.0) * 1.0, 4)
    return round(total, 4)
