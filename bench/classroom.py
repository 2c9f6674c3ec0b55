"""Benchmark: a whole class takes a quiz at once, then bigger and bigger classes until it slows.

    .venv/bin/python bench/classroom.py [--database sqlite|postgresql] [--quick] [--students 300]
                                        [--ramp | --no-ramp] [--quiz-seconds 90]

Serves the app with gunicorn (production config: gunicorn.conf.py's workers) on a fresh database. An
asyncio client (aiohttp) plays every student as a browser would: they log in within 10 s with real
passwords (argon2id at the configured cost), open the dashboard and the quiz, start it, page through its
20 questions autosaving every answer after a pause, open the finish page and all submit inside the same
second, following the redirect to their review. The client logs every answer the server acknowledged and,
afterwards, reconciles the log against the database (the server's own form reading gives the expected
stored answer).

Targets: 0 errors; every attempt finished; every acknowledged answer stored; p95 < 300 ms for autosave,
< 1 s for submit, < 2 s for log-in. Then (``--ramp``) classes of 1.5x the size until a p95 other than
log-in's passes 1 s: the largest class under that is the capacity. Exits non-zero only when requests
fail, answers are lost or the run cannot be made.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
    PASSWORD,
    USER_AGENT,
    Server,
    Site,
    add_assignment,
    add_class,
    add_quiz,
    load_average,
    percentile,
    seed_base,
    table,
)

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
FIELDSET = re.compile(r'<fieldset class="answer answer-(\w+)" data-prefix="(s(\d+))"[^>]*>(.*?)</fieldset>', re.S)
RADIO = re.compile(r'type="radio" name="(s\d+)" value="([^"]*)"')
SELECT = re.compile(r'<select id="[^"]+" name="(s\d+-\d+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
TARGETS_MS = {"autosave": 300, "submit": 1000, "log in": 2000}
RAMP_LIMIT_MS = 1000


class RequestFailed(Exception):
    """A response the student did not expect (status or content), or no response."""


@dataclass
class Log:
    """Everything the client saw: latencies by kind, errors, and the answers acknowledged."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    retries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acked: dict[int, tuple[int, dict, float]] = field(default_factory=dict)
    """slot id → (attempt id, the form fields of the last acknowledged save, when)."""
    unacked: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    """slot id → fields sent after its last acknowledgement that got no acknowledgement."""
    attempts: dict[int, int] = field(default_factory=dict)
    """student id → attempt id."""
    refusals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    """(kind, status) → how many responses were not the expected one (0: no response at all)."""
    unclean: list[str] = field(default_factory=list)
    """5xx responses other than a 503 that says what happened (a 500, or a page with a trace)."""
    submitted: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    """attempt id → the flash each successful submit POST led to."""
    finished_students: int = 0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 12:
            self.error_samples.append(f"{kind}: {detail[:300]}")


def choose_answer(kind: str, prefix: str, body: str, rng: random.Random) -> dict:
    """Form fields a student fills in for one question, read from its HTML."""
    if kind in ("multiple_choice", "true_false"):
        return {prefix: html.unescape(rng.choice(RADIO.findall(body))[1])}
    if kind == "matching":
        return {name: html.unescape(rng.choice(OPTION.findall(options))) for name, options in SELECT.findall(body)}
    if kind == "ordering":
        names = [name for name, _ in SELECT.findall(body)]
        positions = list(range(1, len(names) + 1))
        rng.shuffle(positions)
        return {name: str(p) for name, p in zip(names, positions, strict=True)}
    if kind == "numeric":
        return {prefix: str(rng.randint(1, 60))}
    return {prefix: rng.choice(["2024", "State Duma", "the Duma", "Moscow", "not sure"])}


class Student:
    """One student's browser: its own cookies, reading pages the way the HTML gives them."""

    def __init__(self, base: str, email: str, student_id: int, assignment_id: int, log: Log, rng: random.Random,
                 retry_for: float = 0.0) -> None:
        import aiohttp

        self.base, self.email, self.id, self.assignment_id = base, email, student_id, assignment_id
        self.log, self.rng, self.retry_for = log, rng, retry_for
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          headers={"User-Agent": USER_AGENT},
                                          timeout=aiohttp.ClientTimeout(total=60))
        self.csrf = ""
        self.attempt_id = 0

    async def close(self) -> None:
        await self.http.close()

    async def request(self, kind: str, method: str, path: str, expect: tuple[int, ...], data: dict | None = None,
                      redirects: bool = False) -> tuple[int, str, str]:
        """One request, timed; retried (faults) on no answer or 5xx until ``retry_for`` seconds have passed."""
        import aiohttp

        give_up = time.monotonic() + self.retry_for
        delay = 0.2
        while True:
            began = time.perf_counter()
            try:
                async with self.http.request(method, self.base + path, data=data, allow_redirects=redirects,
                                             headers={"Accept": "text/html"}) as response:
                    text = await response.text()
                    status, location = response.status, response.headers.get("Location", "")
            except (TimeoutError, aiohttp.ClientError) as error:
                status, text, location = 0, f"{type(error).__name__}: {error}", ""
            elapsed = time.perf_counter() - began
            if status in expect:
                self.log.latencies[kind].append(elapsed)
                return status, text, location
            self.log.refusals[(kind, status)] += 1
            if status >= 500 and (status != 503 or "briefly unavailable" not in text or "Traceback" in text):
                self.log.unclean.append(f"{kind} {status}: {text[:300]}")
            if self.retry_for and (status == 0 or status >= 500) and time.monotonic() < give_up:
                self.log.retries[kind] += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            raise RequestFailed(f"{method} {path} -> {status}: {text[:200]}")

    def _csrf_from(self, page: str) -> None:
        found = CSRF.search(page)
        if not found:
            raise RequestFailed("no CSRF token on the page")
        self.csrf = html.unescape(found.group(1))

    async def log_in(self) -> None:
        _, page, _ = await self.request("login page", "GET", "/auth/login", (200,))
        self._csrf_from(page)
        await self.request("log in", "POST", "/auth/login", (302, 303),
                           {"email": self.email, "password": PASSWORD, "csrf_token": self.csrf})
        await self.request("dashboard", "GET", "/dashboard", (200,))

    async def start(self) -> None:
        _, page, _ = await self.request("quiz start page", "GET", f"/quizzes/assignments/{self.assignment_id}",
                                        (200,))
        self._csrf_from(page)
        _, _, location = await self.request("start", "POST", f"/quizzes/assignments/{self.assignment_id}/start",
                                            (302, 303), {"csrf_token": self.csrf})
        found = re.search(r"/quizzes/attempts/(\d+)", location)
        if not found:
            raise RequestFailed(f"start did not lead to an attempt: {location!r}")
        self.attempt_id = int(found.group(1))
        self.log.attempts[self.id] = self.attempt_id

    async def page(self, number: int) -> list[tuple[str, str, int, str]]:
        """The questions on one page: (type, prefix, slot id, html)."""
        _, page, _ = await self.request("quiz page", "GET", f"/quizzes/attempts/{self.attempt_id}?page={number}",
                                        (200,))
        self._csrf_from(page)
        return [(kind, prefix, int(slot), body) for kind, prefix, slot, body in FIELDSET.findall(page)]

    async def save(self, slot_id: int, fields: dict) -> None:
        """Autosave one answer; an acknowledgement is a 200 with saved: true."""
        path = f"/quizzes/attempts/{self.attempt_id}/slots/{slot_id}"
        try:
            _, text, _ = await self.request("autosave", "POST", path, (200,), {"csrf_token": self.csrf, **fields})
        except RequestFailed:
            self.log.unacked[slot_id].append(fields)
            raise
        if '"saved":true' not in text.replace(" ", ""):
            self.log.unacked[slot_id].append(fields)
            raise RequestFailed(f"autosave not acknowledged: {text[:200]}")
        self.log.acked[slot_id] = (self.attempt_id, fields, time.time())
        self.log.unacked.pop(slot_id, None)

    async def submit(self) -> None:
        await self.request("finish page", "GET", f"/quizzes/attempts/{self.attempt_id}/finish", (200,))
        _, _, location = await self.request("submit", "POST", f"/quizzes/attempts/{self.attempt_id}/submit",
                                            (303,), {"csrf_token": self.csrf})
        if not location.endswith(f"/quizzes/attempts/{self.attempt_id}/review"):
            raise RequestFailed(f"submit led to {location!r}")
        _, page, _ = await self.request("review", "GET", location if location.startswith("/") else
                                        location.split(self.base, 1)[-1], (200,))
        flash = re.search(r'class="flash[^"]*"[^>]*>\s*(.*?)\s*<', page, re.S)
        self.log.submitted[self.attempt_id].append(flash.group(1).strip() if flash else "")


async def take_quiz(student: Student, login_at: float, submit_at: float, pages: int = 4) -> None:
    """The whole visit: log in at ``login_at``, answer everything with pauses, submit at ``submit_at``."""
    log = student.log
    try:
        await asyncio.sleep(max(0.0, login_at - time.monotonic()))
        await student.log_in()
        await student.start()
        questions = []
        for number in range(pages):
            questions.append(await student.page(number))
        count = sum(len(q) for q in questions)
        budget = max(1.0, (submit_at - time.monotonic() - 1.0) * student.rng.uniform(0.7, 0.95))
        weights = [student.rng.uniform(0.5, 1.5) for _ in range(count)]
        pauses = [budget * w / sum(weights) for w in weights]
        n = 0
        for number, on_page in enumerate(questions):
            if number:
                on_page = await student.page(number)  # the student turns the page (fresh from the server)
            for kind, prefix, slot_id, body in on_page:
                await asyncio.sleep(pauses[n])
                n += 1
                await student.save(slot_id, choose_answer(kind, prefix, body, student.rng))
        await asyncio.sleep(max(0.0, submit_at + student.rng.uniform(0, 0.95) - time.monotonic()))
        await student.submit()
        log.finished_students += 1
    except RequestFailed as error:
        log.error("student", str(error))
    except Exception as error:  # noqa: BLE001 - a bench bug or an unexpected page must not hide the others
        log.error("client", f"{type(error).__name__}: {error}")
    finally:
        await student.close()


@dataclass
class Class:
    size: int
    assignment_id: int
    students: list[tuple[int, str]]


def seed_class(site: Site, app, seeded, size: int, password_hash: str, name: str) -> Class:
    """A class of ``size`` students with the 20-question quiz assigned (one attempt, 60-minute limit)."""
    from sqlalchemy import select

    from quiz.auth.models import User
    from quiz.extensions import db

    quiz_id = add_quiz(app, seeded, f"Treaty quiz for {name}", time_limit_minutes=60)
    with app.app_context():
        from quiz.quizzes.models import Quiz

        db.session.get(Quiz, quiz_id).attempts_allowed = 1
        db.session.commit()
    add_class(app, seeded, name, size, password_hash)
    assignment_id = add_assignment(app, seeded, quiz_id, name)
    with app.app_context():
        ids = seeded.students[name]
        emails = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
        db.session.remove()
    return Class(size=size, assignment_id=assignment_id, students=[(i, emails[i]) for i in ids])


async def run_class(base: str, klass: Class, login_window: float, quiz_seconds: float, seed: int,
                    retry_for: float = 0.0, during=None) -> tuple[Log, float]:
    """Every student of the class at once; ``during(log)`` (faults) runs beside them. Returns the log."""
    log = Log()
    rng = random.Random(seed)
    began = time.monotonic()
    submit_at = began + login_window + 5.0 + quiz_seconds
    students = [Student(base, email, sid, klass.assignment_id, log, random.Random(rng.random()), retry_for)
                for sid, email in klass.students]
    tasks = [take_quiz(s, began + rng.uniform(0, login_window), submit_at) for s in students]
    if during is not None:
        tasks.append(during(log, began, submit_at))
    await asyncio.gather(*tasks)
    return log, time.monotonic() - began


def reconcile(app, klass: Class, log: Log) -> dict:
    """Compare the database with what the client saw: stored answers, finished attempts, single grading."""
    from sqlalchemy import select
    from werkzeug.datastructures import MultiDict

    from question_bank.model import Question as PlainQuestion
    from quiz.answering import response_from_form
    from quiz.extensions import db
    from quiz.quizzes.models import Attempt, AttemptStatus

    lost, wrong_later, checked = [], 0, 0
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.assignment_id == klass.assignment_id)).all()
        slots = {slot.id: slot for attempt in attempts for slot in attempt.slots}
        for slot_id, (_attempt_id, fields, _) in log.acked.items():
            slot = slots.get(slot_id)
            checked += 1
            if slot is None:
                lost.append(slot_id)
                continue
            plain = PlainQuestion.from_dict(slot.snapshot)
            expected = response_from_form(plain, MultiDict(fields), f"s{slot_id}", slot.display)
            if slot.response == expected:
                continue
            later = [response_from_form(plain, MultiDict(f), f"s{slot_id}", slot.display)
                     for f in log.unacked.get(slot_id, [])]
            if slot.response in later:
                wrong_later += 1  # a later save the server made but whose answer never reached the client
            else:
                lost.append(slot_id)
        per_student = defaultdict(int)
        for attempt in attempts:
            per_student[attempt.student_id] += 1
        finished = [a for a in attempts if a.status == AttemptStatus.FINISHED]
        graded = [a for a in finished if a.score is not None]
        score_mismatch = 0
        from question_bank.grading import grade

        for attempt in graded:
            expected = round(sum(round(grade(s.plain, s.response).fraction * s.marks, 4) for s in attempt.slots), 4)
            score_mismatch += abs(expected - attempt.score) > 1e-6
        db.session.remove()
    winners = {attempt_id: sum("has been submitted" in f for f in flashes)
               for attempt_id, flashes in log.submitted.items()}
    return {"attempts": len(attempts), "finished": len(finished), "graded": len(graded),
            "students_with_two_attempts": sum(1 for n in per_student.values() if n > 1),
            "acked": checked, "lost": len(lost), "later_unacked_kept": wrong_later,
            "score_mismatch": score_mismatch, "submit_winners_over_one": sum(1 for n in winners.values() if n > 1)}


def summarise(log: Log) -> dict[str, dict]:
    rows = {}
    for kind, values in sorted(log.latencies.items()):
        rows[kind] = {"n": len(values), "p50": percentile(values, 50) * 1000, "p95": percentile(values, 95) * 1000,
                      "p99": percentile(values, 99) * 1000, "max": max(values) * 1000}
    return rows


def print_run(title: str, log: Log, seconds: float, check: dict) -> None:
    stats = summarise(log)
    rows = []
    for kind, s in stats.items():
        target = TARGETS_MS.get(kind)
        verdict = "-" if target is None else ("met" if s["p95"] < target else "NOT met") + f" (p95 < {target} ms)"
        rows.append([kind, s["n"], f"{s['p50']:.0f}", f"{s['p95']:.0f}", f"{s['p99']:.0f}", f"{s['max']:.0f}",
                     verdict])
    print(table(["request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "target"], rows, title))
    errors = sum(log.errors.values())
    print(f"run {seconds:.0f} s; errors {errors}" + (f" {dict(log.errors)}" if errors else "")
          + (f"; retries {dict(log.retries)}" if log.retries else ""))
    print(f"attempts {check['attempts']}, finished {check['finished']}, graded {check['graded']}; "
          f"acknowledged answers {check['acked']}, missing or different in the database {check['lost']}; "
          f"scores that differ from a regrade {check['score_mismatch']}; students with a second attempt "
          f"{check['students_with_two_attempts']}")
    for sample in log.error_samples[:6]:
        print("   ", sample)


def ok(log: Log, check: dict, size: int) -> bool:
    """No errors, every attempt finished and graded, nothing acknowledged lost."""
    return (not log.errors and check["finished"] == size and check["graded"] == size and not check["lost"]
            and not check["score_mismatch"] and not check["students_with_two_attempts"])


def measure_hash(app) -> float:
    """Seconds one argon2id hash takes at the configured cost (median of 5)."""
    from quiz.auth.passwords import hash_password, verify_password

    with app.app_context():
        hashed = hash_password(PASSWORD)
        times = []
        for _ in range(5):
            began = time.perf_counter()
            verify_password(hashed, PASSWORD)
            times.append(time.perf_counter() - began)
        return sorted(times)[2]


def main() -> int:
    """Seed, serve, run the class (and the ramp), reconcile, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true", help="20 students, short pauses: a smoke run")
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--login-window", type=float, default=10.0)
    parser.add_argument("--quiz-seconds", type=float, default=90.0,
                        help="time from the end of the log-in window to the common submit second")
    parser.add_argument("--ramp", action=argparse.BooleanOptionalAction, default=True,
                        help="after the class, grow it 1.5x a step until a p95 passes 1 s")
    parser.add_argument("--max-students", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: gunicorn.conf.py's)")
    args = parser.parse_args()
    if args.quick:
        args.students, args.login_window, args.quiz_seconds = 20, 2.0, 8.0
        args.max_students = min(args.max_students, 45)

    site = Site(args.database, "classroom", pg_server=args.pg_server)
    site.migrate()
    app = site.app()
    hash_seconds = measure_hash(app)
    from quiz.auth.passwords import hash_password

    with app.app_context():
        password_hash = hash_password(PASSWORD)
        cost = app.config["PASSWORD_HASH"]
    seeded = seed_base(app, password_hash)
    server = Server(site, workers=args.workers or None)
    server.start()
    workers = len(server.worker_pids())
    print(f"Debrief, a class at once, on {site.label}: gunicorn {workers} sync workers (production config)")
    print(f"password hash: argon2id {cost}, one verification {hash_seconds * 1000:.0f} ms")
    print(f"load before: {load_average()}\n")
    warm = seed_class(site, app, seeded, max(10, 2 * workers), password_hash, "Warm-up class")
    asyncio.run(run_class(server.base, warm, 1.0, 3.0, seed=0))  # every worker's first pages, not measured
    failed = False
    capacity, first = None, True
    size = args.students
    try:
        while True:
            klass = seed_class(site, app, seeded, size, password_hash, f"Class of {size}")
            log, seconds = asyncio.run(run_class(server.base, klass, args.login_window, args.quiz_seconds,
                                                 seed=size))
            check = reconcile(app, klass, log)
            print_run(f"{size} students, log-ins within {args.login_window:g} s, quiz {args.quiz_seconds:g} s, "
                      f"all submit in one second  (load: {load_average().split('average:')[-1].strip()})",
                      log, seconds, check)
            print()
            clean = ok(log, check, size)
            if first:
                failed = not clean
                first = False
            stats = summarise(log)
            worst = max(s["p95"] for kind, s in stats.items() if kind not in ("log in", "login page"))
            if not clean or worst > RAMP_LIMIT_MS:
                print(f"ramp: at {size} students the worst p95 (log-in aside) is {worst:.0f} ms"
                      + ("" if clean else " and the run had errors or losses") + "; stopping")
                break
            capacity = size
            if not args.ramp:
                break
            size = int(size * 1.5)
            if size > args.max_students:
                print(f"ramp: stopped at the --max-students limit ({args.max_students})")
                break
    finally:
        server.stop()
    if args.ramp:
        print(f"capacity: {capacity or 'below ' + str(args.students)} students with every p95 (log-in aside) "
              f"under {RAMP_LIMIT_MS} ms")
    print(f"load after: {load_average()}")
    if failed:
        print(f"the server's log: {server.log}", file=sys.stderr)
        return 1
    site.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
