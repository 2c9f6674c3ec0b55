"""Benchmark: a class keeps taking its quiz through crashes, and nothing acknowledged is lost.

    .venv/bin/python bench/faults.py [--scenario worker|postgres|both] [--database sqlite|postgresql] [--quick]

worker:   a class takes the quiz (bench/classroom.py's client, retrying any request that got no answer or a
          5xx); mid-quiz one gunicorn worker is SIGKILLed, later the whole server is killed and started
          again, and a worker is SIGKILLed in the second everyone submits.
postgres: the same on a PostgreSQL server of the benchmark's own (initdb in a temporary folder, another
          port; the shared server is never touched), which is restarted mid-quiz with a few seconds down.
          Requests during the outage must fail cleanly (503 with its message, never a 500); later ones
          succeed (pool_pre_ping).

Checks after each: every acknowledged answer is in the database; every retried request finally
succeeded; every attempt is finished, graded once (no second attempt, at most one submit reported
"submitted", scores equal a regrade). Exits non-zero only when a check fails or the run cannot be made.

The scenarios are functions returning an ``Outcome`` (verdicts, events, the client's log); tests/faults
runs them small in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import PASSWORD, Server, Site, free_port, load_average, seed_base  # noqa: E402
from classroom import Log, print_run, reconcile, run_class, seed_class  # noqa: E402


@dataclass(frozen=True)
class Scale:
    """How big a run is: the class, its log-in window, the quiz's length, the outage, gunicorn's workers."""

    students: int = 60
    login_window: float = 5.0
    quiz_seconds: float = 40.0
    outage: float = 5.0
    workers: int = 2


FULL = Scale()
QUICK = Scale(students=12, login_window=1.0, quiz_seconds=12.0, outage=3.0)


@dataclass
class Outcome:
    """What one scenario saw: the client's log, the reconciliation, the faults made and the verdicts."""

    title: str
    log: Log
    seconds: float
    check: dict
    events: list[str]
    verdicts: list[tuple[str, bool]]
    server_log: Path

    @property
    def held(self) -> bool:
        return all(good for _, good in self.verdicts)

    @property
    def failed(self) -> list[str]:
        return [text for text, good in self.verdicts if not good]


def private_postgres_missing() -> str:
    """Why a private PostgreSQL cluster cannot be made here ("" when it can)."""
    if os.geteuid() != 0:
        return "needs root (initdb and pg_ctl run as the postgres user through runuser)"
    if not shutil.which("runuser"):
        return "runuser is not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres user"
    if not sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        return "PostgreSQL server binaries not found under /usr/lib/postgresql"
    return ""


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, run as the postgres user; removed afterwards."""

    def __init__(self) -> None:
        missing = private_postgres_missing()
        if missing:
            raise SystemExit(f"cannot make a private PostgreSQL cluster: {missing}")
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="debrief-bench-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        try:
            shutil.chown(self.folder, "postgres", "postgres")
            self._as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                               "--no-sync"])
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _as_postgres(self, command: list[str]) -> None:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise SystemExit(f"{command[0]} failed: {done.stderr[-2000:]}")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def start(self) -> None:
        self._as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                           "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start"])

    def stop(self) -> None:
        self._as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        """Stop the server if it runs (immediately: nothing in it is kept) and delete the cluster."""
        try:
            self._as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        except (SystemExit, subprocess.TimeoutExpired):
            pass  # not running (or not stopping): the folder goes all the same
        shutil.rmtree(self.folder, ignore_errors=True)


def verdicts(log, check, size: int, *, outage: bool) -> list[tuple[str, bool]]:
    """The scenario's checks, each with whether it held."""
    return [
        ("every student finished (retries of unanswered requests succeeded)",
         not log.errors and log.finished_students == size),
        ("every acknowledged answer is in the database", check["lost"] == 0),
        (f"{size} attempts finished and graded", check["finished"] == size and check["graded"] == size),
        ("no attempt graded twice (one attempt each, at most one 'submitted', scores equal a regrade)",
         not check["students_with_two_attempts"] and not check["submit_winners_over_one"]
         and not check["score_mismatch"]),
        (("failures during the outage were 503s with their message, never a 500" if outage
          else "no 500 page (only dropped connections while workers died)"), not log.unclean),
    ]


def report(outcome: Outcome) -> bool:
    """Print a scenario's figures, events and verdicts; whether every verdict held."""
    log = outcome.log
    print_run(outcome.title, log, outcome.seconds, outcome.check)
    for event in outcome.events:
        print("   event:", event)
    refused = {f"{kind} {status or 'no answer'}": n for (kind, status), n in sorted(log.refusals.items())}
    print(f"   refused or unanswered, then retried: {refused or 'none'}")
    for sample in log.unclean[:5]:
        print("   unclean:", sample)
    for text, good in outcome.verdicts:
        print(f"   [{'ok' if good else 'FAILED'}] {text}")
    print()
    print(f"   the server's log: {outcome.server_log}\n" if not outcome.held else "", end="")
    return outcome.held


def prepare(site: Site, students: int, class_name: str):
    """Migrate the site's database and seed a class with the quiz assigned; (app, class)."""
    site.migrate()
    app = site.app()
    from quiz.auth.passwords import hash_password

    with app.app_context():
        password_hash = hash_password(PASSWORD)
    seeded = seed_base(app, password_hash)
    return app, seed_class(site, app, seeded, students, password_hash, class_name)


def close_connections(app) -> None:
    """Close the benchmark's own pooled connections (none may outlive a restart, or the process, unchecked)."""
    from quiz.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def load_now() -> str:
    """The load averages alone, for a title."""
    return load_average().split("average:")[-1].strip()


def run_through(app, klass, server: Server, scale: Scale, seed: int, during) -> tuple:
    """Serve the class while ``during`` brings its faults; the client's log, the run's length and the
    reconciliation. The server is stopped and the benchmark's connections closed whatever happens."""
    try:
        server.start()
        try:
            log, seconds = asyncio.run(run_class(server.base, klass, scale.login_window, scale.quiz_seconds,
                                                 seed=seed, retry_for=60.0, during=during))
        finally:
            server.stop()
        return log, seconds, reconcile(app, klass, log)
    finally:
        close_connections(app)


def worker_scenario(site: Site, scale: Scale = FULL) -> Outcome:
    """SIGKILL a worker mid-quiz, crash and restart the server, SIGKILL a worker while everyone submits."""
    app, klass = prepare(site, scale.students, "Fault class")
    server = Server(site, workers=scale.workers)
    events: list[str] = []

    async def chaos(log, began, submit_at):
        quiz_start = began + scale.login_window + 5
        await asyncio.sleep(max(0.0, quiz_start + scale.quiz_seconds * 0.3 - time.monotonic()))
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL worker {server.kill_worker()}")
        await asyncio.sleep(max(0.0, quiz_start + scale.quiz_seconds * 0.6 - time.monotonic()))
        await asyncio.to_thread(server.stop, True)
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL the whole server (master and workers)")
        await asyncio.sleep(1.0)
        await asyncio.to_thread(server.start)
        events.append(f"t={time.monotonic() - began:.1f}s server started again")
        await asyncio.sleep(max(0.0, submit_at + 0.3 - time.monotonic()))
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL worker {server.kill_worker()} while submitting")

    log, seconds, check = run_through(app, klass, server, scale, 7, chaos)
    return Outcome(f"Worker killed and server restarted, {site.label}, {scale.students} students "
                   f"(load: {load_now()})", log, seconds, check, events,
                   verdicts(log, check, scale.students, outage=False), server.log)


def postgres_scenario(site: Site, pg: PrivatePostgres, scale: Scale = FULL) -> Outcome:
    """Restart a private PostgreSQL server mid-quiz: clean 503s during the outage, nothing acknowledged lost.

    ``site`` keeps its database on ``pg``, which is running.
    """
    app, klass = prepare(site, scale.students, "Outage class")
    close_connections(app)  # the benchmark's own connections must not outlive the restart unchecked
    server = Server(site, workers=scale.workers)
    events: list[str] = []

    async def outage(log, began, submit_at):
        quiz_start = began + scale.login_window + 5
        await asyncio.sleep(max(0.0, quiz_start + scale.quiz_seconds * 0.4 - time.monotonic()))
        await asyncio.to_thread(pg.stop)
        events.append(f"t={time.monotonic() - began:.1f}s PostgreSQL stopped (fast)")
        await asyncio.sleep(scale.outage)
        await asyncio.to_thread(pg.start)
        events.append(f"t={time.monotonic() - began:.1f}s PostgreSQL started again")

    log, seconds, check = run_through(app, klass, server, scale, 8, outage)
    return Outcome(f"PostgreSQL restarted under load ({scale.outage:g} s down), {scale.students} students "
                   f"(load: {load_now()})", log, seconds, check, events,
                   verdicts(log, check, scale.students, outage=True), server.log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["worker", "postgres", "both"], default="both")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="for the worker scenario")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--students", type=int, default=FULL.students)
    parser.add_argument("--login-window", type=float, default=FULL.login_window)
    parser.add_argument("--quiz-seconds", type=float, default=FULL.quiz_seconds)
    parser.add_argument("--outage", type=float, default=FULL.outage, help="seconds PostgreSQL stays down")
    parser.add_argument("--workers", type=int, default=FULL.workers)
    args = parser.parse_args()
    scale = Scale(args.students, args.login_window, args.quiz_seconds, args.outage, args.workers)
    if args.quick:
        scale = replace(QUICK, workers=args.workers)
    print(f"load before: {load_average()}\n")
    held = True
    if args.scenario in ("worker", "both"):
        site = Site(args.database, "faults", pg_server=args.pg_server)
        outcome = worker_scenario(site, scale)
        held &= report(outcome)
        if outcome.held:
            site.remove()
    if args.scenario in ("postgres", "both"):
        pg = PrivatePostgres()
        try:
            pg.start()
            site = Site("postgresql", "faults", pg_server=pg.url)
            outcome = postgres_scenario(site, pg, scale)
            held &= report(outcome)
            if outcome.held:
                site.remove()
        finally:
            pg.remove()
    print(f"load after: {load_average()}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
