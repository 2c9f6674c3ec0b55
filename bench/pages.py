"""Benchmark: the pages a quiz lives on, as ratios of a route that does nothing, in one run.

    .venv/bin/python bench/pages.py [--database sqlite|postgresql] [--quick] [--rounds 3] [--duration 10]

Serves the app with gunicorn (production config, 2 workers) on a fresh database seeded in bulk, then
runs wrk (Debian's package) against, in 3 interleaved rounds each: the floor (``GET /livez``, touches
nothing), the student's quiz page, an autosave POST, the final submit (every request its own in-progress
attempt, so every one really finishes and grades), and the teacher's gradebook. Prints req/s, latency
percentiles and each page's share of the floor's req/s in the same round.

Targets on SQLite: quiz page >= 45% of the floor, autosave >= 35%, submit >= 25%; p99 < 100 ms at 32
connections. Exits non-zero only when requests fail or the run cannot be made.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
    REPO,
    Seeded,
    Server,
    Site,
    add_assignment,
    add_class,
    add_quiz,
    answer_form,
    bulk_attempts,
    load_average,
    logins,
    seed_base,
    table,
)

LUA = Path(__file__).resolve().parent / "requests.lua"
TARGETS = {"quiz page": 45.0, "autosave": 35.0, "submit": 25.0}
P99_TARGET_MS = 100.0
ORDER = ["floor", "quiz page", "autosave", "submit", "gradebook"]


class Plan:
    """The seeded data and the request lists wrk cycles through."""

    def __init__(self, site: Site, students: int, gradebook_students: int, gradebook_quizzes: int) -> None:
        import random

        from quiz.auth.passwords import hash_password

        self.site = site
        self.app = app = site.app()
        self.folder = site.instance / "requests"
        self.folder.mkdir(exist_ok=True)
        began = time.perf_counter()
        with app.app_context():
            hashed = hash_password("not used: cookies are signed")
        self.seeded: Seeded = seed_base(app, hashed)
        take_quiz = add_quiz(app, self.seeded, "Treaty check")
        submit_quiz = add_quiz(app, self.seeded, "Treaty check (submit pool)")
        add_class(app, self.seeded, "Bench class", students, hashed)
        self.students = self.seeded.students["Bench class"]
        self.take_assignment = add_assignment(app, self.seeded, take_quiz, "Bench class")
        self.submit_assignment = add_assignment(app, self.seeded, submit_quiz, "Bench class")
        self.attempts = bulk_attempts(app, self.take_assignment, self.students, seed=1)
        add_class(app, self.seeded, "Gradebook class", gradebook_students, hashed)
        for n in range(gradebook_quizzes):
            quiz_id = add_quiz(app, self.seeded, f"Gradebook quiz {n + 1}")
            assignment = add_assignment(app, self.seeded, quiz_id, "Gradebook class")
            bulk_attempts(app, assignment, self.seeded.students["Gradebook class"], finished=True, seed=10 + n)
        self.logins = logins(app, [*self.students, self.seeded.teacher_id])
        self.next_number = 1
        self.submitted: list[int] = []
        self.seed_seconds = time.perf_counter() - began
        rng = random.Random(2)
        self.lists = {"floor": self._write("floor", [("GET", "/livez", "-", "-")])}
        pages = []
        for attempt in self.attempts:
            login = self.logins[attempt["student_id"]]
            for page in range(4):
                pages.append(("GET", f"/quizzes/attempts/{attempt['id']}?page={page}", login.header, "-"))
        self.lists["quiz page"] = self._write("quiz page", pages)
        saves = []
        for attempt in self.attempts:
            login = self.logins[attempt["student_id"]]
            for slot in attempt["slots"]:
                fields, _ = answer_form(slot["snapshot"], slot["display"], f"s{slot['id']}", rng)
                body = urllib.parse.urlencode({"csrf_token": login.csrf, **fields})
                saves.append(("POST", f"/quizzes/attempts/{attempt['id']}/slots/{slot['id']}", login.header, body))
        rng.shuffle(saves)
        self.lists["autosave"] = self._write("autosave", saves)
        self.gradebook_path = None
        if "progress.class_gradebook" in app.view_functions:
            self.gradebook_path = f"/progress/classes/{self.seeded.classes['Gradebook class']}/gradebook"
            teacher = self.logins[self.seeded.teacher_id]
            self.lists["gradebook"] = self._write("gradebook", [("GET", self.gradebook_path, teacher.header, "-")])

    def _write(self, name: str, lines: list[tuple[str, str, str, str]]) -> Path:
        path = self.folder / (name.replace(" ", "-") + ".tsv")
        path.write_text("".join("\t".join(line) + "\n" for line in lines))
        return path

    def submit_pool(self, size: int) -> Path:
        """A fresh pool of in-progress attempts, one submit request each."""
        per_student = -(-size // len(self.students))
        attempts = bulk_attempts(self.app, self.submit_assignment, self.students, first_number=self.next_number,
                                 per_student=per_student, seed=self.next_number)
        self.next_number += per_student
        self.submitted += [a["id"] for a in attempts]
        lines = [("POST", f"/quizzes/attempts/{a['id']}/submit", self.logins[a["student_id"]].header,
                  urllib.parse.urlencode({"csrf_token": self.logins[a["student_id"]].csrf})) for a in attempts]
        return self._write("submit", lines)


def run_wrk(base: str, requests: Path, duration: float, connections: int, threads: int) -> dict:
    """One wrk run; returns its figures (req/s, latency in ms, errors)."""
    env = {**os.environ, "BENCH_REQUESTS": str(requests), "BENCH_THREADS": str(threads)}
    done = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
                           "--timeout", "10s", "-s", str(LUA), base], env=env, capture_output=True, text=True,
                          timeout=duration + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[6:])
    seconds = raw["duration_us"] / 1e6
    return {"requests": raw["requests"], "rps": raw["requests"] / seconds,
            "p50": raw["p50_us"] / 1000, "p90": raw["p90_us"] / 1000, "p99": raw["p99_us"] / 1000,
            "max": raw["max_us"] / 1000,
            "errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"], "bad_status": raw["status"]}


def query_counts(plan: Plan) -> dict[str, int]:
    """SQL statements one request of each kind runs (in-process, through the test client)."""
    from sqlalchemy import event

    from quiz.extensions import db

    app = plan.app
    counts: dict[str, int] = {}
    attempt = plan.attempts[0]
    login = plan.logins[attempt["student_id"]]
    slot = attempt["slots"][0]
    fields, _ = answer_form(slot["snapshot"], slot["display"], f"s{slot['id']}", __import__("random").Random(0))
    pool = bulk_attempts(app, plan.submit_assignment, [attempt["student_id"]], first_number=10**6)
    probes = {
        "floor": ("GET", "/livez", None, None),
        "quiz page": ("GET", f"/quizzes/attempts/{attempt['id']}", login, None),
        "autosave": ("POST", f"/quizzes/attempts/{attempt['id']}/slots/{slot['id']}", login,
                     {"csrf_token": login.csrf, **fields}),
        "submit": ("POST", f"/quizzes/attempts/{pool[0]['id']}/submit", login, {"csrf_token": login.csrf}),
    }
    if plan.gradebook_path:
        probes["gradebook"] = ("GET", plan.gradebook_path, plan.logins[plan.seeded.teacher_id], None)
    with app.app_context():
        engine = db.engine
    seen = []
    listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for name, (method, path, who, data) in probes.items():
            client = app.test_client()
            if who:
                client.set_cookie("session", who.cookie)
            seen.clear()
            response = client.open(path, method=method, data=data, headers={"User-Agent": "debrief-bench/1"})
            counts[name] = len(seen)
            if response.status_code >= 400:
                raise SystemExit(f"{name} probe answered {response.status_code}: {response.get_data(True)[:500]}")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return counts


def main() -> int:
    """Seed, serve, measure in interleaved rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server; the benchmark creates (and recreates) bench_pages on it")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 1 s rounds: a smoke run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--pool", type=int, default=0, help="attempts per submit round (default: sized from "
                                                            "the previous round)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    if args.quick:
        args.rounds, args.duration = min(args.rounds, 1), min(args.duration, 1.0)
    students, gb_students, gb_quizzes = (8, 10, 2) if args.quick else (32, 30, 4)

    load_before = load_average()
    site = Site(args.database, "pages", pg_server=args.pg_server)
    site.migrate()
    plan = Plan(site, students, gb_students, gb_quizzes)
    counts = query_counts(plan)
    order = [name for name in ORDER if name in plan.lists or name == "submit"]
    results: dict[str, list[dict]] = {name: [] for name in order}
    pool = args.pool or (300 if args.quick else 4000)
    server = Server(site, workers=args.workers)
    server.start()
    try:
        warm_submits = 0
        for name in order:  # warm every worker's imports, templates and connections
            path = plan.submit_pool(max(50, int(pool / 20))) if name == "submit" else plan.lists[name]
            warm = run_wrk(server.base, path, 1.0, min(8, args.connections), args.threads)
            warm_submits += warm["requests"] if name == "submit" else 0
        for _ in range(args.rounds):
            for name in order:
                path = plan.submit_pool(pool) if name == "submit" else plan.lists[name]
                figures = run_wrk(server.base, path, args.duration, args.connections, args.threads)
                if name == "submit":
                    figures["pool"] = pool
                    figures["wrapped"] = max(0, figures["requests"] - pool)
                    if not args.pool:
                        pool = max(pool, int(figures["rps"] * args.duration * 1.5))
                results[name].append(figures)
    finally:
        server.stop()
    load_after = load_average()
    finished = count_finished(plan)

    rows, failures = [], 0
    for name in order:
        runs = results[name]
        ratios = [100 * run["rps"] / floor["rps"] for run, floor in zip(runs, results["floor"], strict=True)]
        errors = sum(r["errors"] + r["bad_status"] for r in runs)
        failures += errors
        p99 = max(r["p99"] for r in runs)
        target = TARGETS.get(name)
        ratio = statistics.median(ratios)
        verdict = "-"
        if target is not None:
            ok = ratio >= target and p99 < P99_TARGET_MS
            verdict = ("met" if ok else "NOT met") + f" (>= {target:.0f}%, p99 < {P99_TARGET_MS:.0f} ms)"
        elif name == "floor":
            verdict = "met" if p99 < P99_TARGET_MS else "NOT met"
            verdict += f" (p99 < {P99_TARGET_MS:.0f} ms)"
        rows.append([name, " / ".join(f"{r['rps']:.0f}" for r in runs),
                     f"{statistics.median(r['rps'] for r in runs):.0f}",
                     "100%" if name == "floor" else f"{ratio:.0f}% ({' / '.join(f'{x:.0f}' for x in ratios)})",
                     f"{statistics.median(r['p50'] for r in runs):.1f}", f"{p99:.1f}",
                     counts.get(name, "-"), errors, verdict])
    print(f"\nDebrief pages on {site.label}: gunicorn {args.workers} sync workers, wrk -t{args.threads} "
          f"-c{args.connections}, {args.rounds} rounds x {args.duration:g} s each, interleaved")
    print(f"seeded in {plan.seed_seconds:.1f} s; load before: {load_before}")
    print(f"load after: {load_after}\n")
    print(table(["route", "req/s per round", "median req/s", "share of floor (per round)", "p50 ms",
                 "worst p99 ms", "SQL/request", "errors", "target"], rows))
    submits = sum(r["requests"] for r in results["submit"])
    wrapped = sum(r.get("wrapped", 0) for r in results["submit"])
    runs = len(results["submit"]) + 1
    counted = submits + warm_submits
    same = ("one per request; wrk leaves uncounted the <= connections in flight when it stops"
            if counted <= finished <= counted + runs * args.connections else "CHECK: not one per request")
    print(f"\nsubmit: {submits} measured requests (+{warm_submits} warming up); {finished} pool attempts "
          f"finished and graded ({same})"
          + (f"; {wrapped} requests re-submitted an attempt (pool too small)" if wrapped else ""))
    if "gradebook" not in plan.lists:
        print("gradebook: the progress blueprint is not registered in this tree; not measured")
    if failures:
        print(f"\n{failures} requests failed (socket errors or 4xx/5xx); see {server.log}", file=sys.stderr)
        return 1
    site.remove()
    return 0


def count_finished(plan: Plan) -> int:
    """Pool attempts that are finished with a score (each graded once, by the conditional update)."""
    from sqlalchemy import func, select

    from quiz.extensions import db
    from quiz.quizzes.models import Attempt, AttemptStatus

    with plan.app.app_context():
        return db.session.scalar(select(func.count(Attempt.id)).where(
            Attempt.assignment_id == plan.submit_assignment, Attempt.status == AttemptStatus.FINISHED,
            Attempt.score.is_not(None), Attempt.number < 10**6))


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
