"""The fault scenarios of bench/faults.py, small enough for CI: a class keeps taking its quiz through
crashes of gunicorn's workers, of the whole server and of PostgreSQL, and nothing acknowledged is lost."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from faults import Outcome, Scale, postgres_scenario, worker_scenario

# 10 students log in within 1 s, answer 20 questions over about 10 s and all submit in one second.
SCALE = Scale(students=10, login_window=1.0, quiz_seconds=10.0, outage=3.0, workers=2)
ACCESS_LINE = re.compile(r'^\S+ - \S+ \[[^]]+\] "')  # gunicorn's access log: one line a request


def in_own_thread(scenario, *args) -> Outcome:
    """Run a scenario where no event loop is running: its client calls ``asyncio.run``, and the browser
    tests' Playwright leaves a loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(scenario, *args).result()


def explain(outcome: Outcome) -> str:
    """A failure message: the checks that failed, what was done to the server, what the client saw."""
    log = outcome.log
    lines = [outcome.title, "failed checks:", *(f"  {text}" for text in outcome.failed),
             "events:", *(f"  {event}" for event in outcome.events),
             f"refused or unanswered, then retried: {dict(log.refusals) or 'none'}",
             f"client errors: {dict(log.errors) or 'none'}", *(f"  {sample}" for sample in log.error_samples),
             *(f"unclean: {sample}" for sample in log.unclean[:5]),
             f"reconciliation: {outcome.check}",
             f"the server's log: {outcome.server_log}; its last lines other than requests:"]
    if outcome.server_log.exists():
        logged = outcome.server_log.read_text(errors="replace").splitlines()
        lines += [line for line in logged if not ACCESS_LINE.match(line)][-40:]
    return "\n".join(lines)


def test_killed_workers_and_a_server_crash_lose_no_acknowledged_answer(worker_site):
    """A worker SIGKILLed mid-quiz, the whole server SIGKILLed and restarted, a worker SIGKILLed while
    everyone submits: every answer the client saw acknowledged is stored, every attempt graded once, no 500."""
    outcome = in_own_thread(worker_scenario, worker_site, SCALE)

    assert not outcome.failed, explain(outcome)
    assert len(outcome.events) == 4, explain(outcome)
    assert outcome.log.refusals, "no request went unanswered: the faults missed the class\n" + explain(outcome)


def test_a_postgresql_restart_mid_quiz_gives_clean_503s_and_loses_nothing(outage_site, private_postgres):
    """PostgreSQL stopped for 3 s mid-quiz: requests during the outage get the 503 page (never a 500),
    retries succeed once it is back, every acknowledged answer is stored and every attempt graded once."""
    outcome = in_own_thread(postgres_scenario, outage_site, private_postgres, SCALE)

    assert not outcome.failed, explain(outcome)
    assert len(outcome.events) == 2, explain(outcome)
    outage_503s = sum(n for (_, status), n in outcome.log.refusals.items() if status == 503)
    assert outage_503s, "no request got a 503: the outage missed the class\n" + explain(outcome)
