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
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import PASSWORD, Server, Site, free_port, load_average, seed_base  # noqa: E402
from classroom import print_run, reconcile, run_class, seed_class  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on its own port, run as the postgres user; removed afterwards."""

    def __init__(self) -> None:
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not binaries:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = binaries[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="debrief-bench-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                           "--no-sync"])

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
        try:
            self.stop()
        except SystemExit:
            pass
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


def report(title: str, log, seconds: float, check: dict, size: int, events: list[str], outage: bool) -> bool:
    print_run(title, log, seconds, check)
    for event in events:
        print("   event:", event)
    refused = {f"{kind} {status or 'no answer'}": n for (kind, status), n in sorted(log.refusals.items())}
    print(f"   refused or unanswered, then retried: {refused or 'none'}")
    for sample in log.unclean[:5]:
        print("   unclean:", sample)
    held = True
    for text, good in verdicts(log, check, size, outage=outage):
        print(f"   [{'ok' if good else 'FAILED'}] {text}")
        held &= good
    print()
    return held


def worker_scenario(args) -> bool:
    """SIGKILL a worker mid-quiz, crash and restart the server, SIGKILL a worker while everyone submits."""
    site = Site(args.database, "faults", pg_server=args.pg_server)
    site.migrate()
    app = site.app()
    from quiz.auth.passwords import hash_password

    with app.app_context():
        password_hash = hash_password(PASSWORD)
    seeded = seed_base(app, password_hash)
    klass = seed_class(site, app, seeded, args.students, password_hash, "Fault class")
    server = Server(site, workers=args.workers)
    server.start()
    events: list[str] = []

    async def chaos(log, began, submit_at):
        quiz_start = began + args.login_window + 5
        await asyncio.sleep(max(0.0, quiz_start + args.quiz_seconds * 0.3 - time.monotonic()))
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL worker {server.kill_worker()}")
        await asyncio.sleep(max(0.0, quiz_start + args.quiz_seconds * 0.6 - time.monotonic()))
        await asyncio.to_thread(server.stop, True)
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL the whole server (master and workers)")
        await asyncio.sleep(1.0)
        await asyncio.to_thread(server.start)
        events.append(f"t={time.monotonic() - began:.1f}s server started again")
        await asyncio.sleep(max(0.0, submit_at + 0.3 - time.monotonic()))
        events.append(f"t={time.monotonic() - began:.1f}s SIGKILL worker {server.kill_worker()} while submitting")

    try:
        log, seconds = asyncio.run(run_class(server.base, klass, args.login_window, args.quiz_seconds, seed=7,
                                             retry_for=60.0, during=chaos))
    finally:
        server.stop()
    check = reconcile(app, klass, log)
    held = report(f"Worker killed and server restarted, {site.label}, {args.students} students "
                  f"(load: {load_average().split('average:')[-1].strip()})", log, seconds, check, args.students,
                  events, outage=False)
    print(f"   the server's log: {server.log}\n" if not held else "", end="")
    if held:
        site.remove()
    return held


def postgres_scenario(args) -> bool:
    """Restart a private PostgreSQL server mid-quiz: clean 503s during the outage, nothing acknowledged lost."""
    pg = PrivatePostgres()
    pg.start()
    try:
        site = Site("postgresql", "faults", pg_server=pg.url)
        site.migrate()
        app = site.app()
        from quiz.auth.passwords import hash_password

        with app.app_context():
            password_hash = hash_password(PASSWORD)
        seeded = seed_base(app, password_hash)
        klass = seed_class(site, app, seeded, args.students, password_hash, "Outage class")
        with app.app_context():
            from quiz.extensions import db

            db.engine.dispose()  # the benchmark's own connections must not outlive the restart unchecked
        server = Server(site, workers=args.workers)
        server.start()
        events: list[str] = []

        async def outage(log, began, submit_at):
            quiz_start = began + args.login_window + 5
            await asyncio.sleep(max(0.0, quiz_start + args.quiz_seconds * 0.4 - time.monotonic()))
            await asyncio.to_thread(pg.stop)
            events.append(f"t={time.monotonic() - began:.1f}s PostgreSQL stopped (fast)")
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(pg.start)
            events.append(f"t={time.monotonic() - began:.1f}s PostgreSQL started again")

        try:
            log, seconds = asyncio.run(run_class(server.base, klass, args.login_window, args.quiz_seconds,
                                                 seed=8, retry_for=60.0, during=outage))
        finally:
            server.stop()
        check = reconcile(app, klass, log)
        with app.app_context():
            db.engine.dispose()
        held = report(f"PostgreSQL restarted under load ({args.outage:g} s down), {args.students} students "
                      f"(load: {load_average().split('average:')[-1].strip()})", log, seconds, check,
                      args.students, events, outage=True)
        print(f"   the server's log: {server.log}\n" if not held else "", end="")
        if held:
            site.remove()
        return held
    finally:
        pg.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["worker", "postgres", "both"], default="both")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="for the worker scenario")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--login-window", type=float, default=5.0)
    parser.add_argument("--quiz-seconds", type=float, default=40.0)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.quick:
        args.students, args.login_window, args.quiz_seconds, args.outage = 12, 1.0, 12.0, 3.0
    print(f"load before: {load_average()}\n")
    held = True
    if args.scenario in ("worker", "both"):
        held &= worker_scenario(args)
    if args.scenario in ("postgres", "both"):
        held &= postgres_scenario(args)
    print(f"load after: {load_average()}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
