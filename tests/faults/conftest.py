"""Fixtures for the fault scenarios: bench/faults.py's code, a site of their own, a private PostgreSQL.

The scenarios are the benchmark's (``bench/faults.py``), run small. Each test gets a deployment of its
own: the instance folder (SQLite file, gunicorn's log) is the test's ``tmp_path``, and on PostgreSQL a
database ``bench_test_faults`` beside the suite's, dropped afterwards.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import postgres_url

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # bench/ is scripts, not a package: its modules import each other by name

from _support import Site  # noqa: E402
from faults import PrivatePostgres, private_postgres_missing  # noqa: E402

SITE_NAME = "test_faults"


def server_of(url: str) -> str:
    """The server part of a PostgreSQL URL (no database), as the benchmark's Site takes it."""
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme.split("+")[0] in ("postgres", "postgresql") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "", "", ""))


@pytest.fixture
def keep_app_logger():
    """The sites' apps set the shared "quiz" logger to the production level; put it back afterwards."""
    logger = logging.getLogger("quiz")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.fixture
def worker_site(tmp_path, keep_app_logger):
    """The worker scenario's deployment, on the suite's database engine: SQLite, or PostgreSQL when
    ``DATABASE_URL`` names it (a database of its own on that server, never the suite's)."""
    url = postgres_url()
    if url:
        site = Site("postgresql", SITE_NAME, pg_server=server_of(url), instance=tmp_path)
    else:
        site = Site("sqlite", SITE_NAME, instance=tmp_path)
    yield site
    site.drop_database()


@pytest.fixture
def private_postgres():
    """A running PostgreSQL cluster of the test's own (the shared server is never touched); removed afterwards."""
    missing = private_postgres_missing()
    if missing:
        pytest.skip(f"a private PostgreSQL cluster cannot be made here: {missing}; CI has what it needs")
    pg = PrivatePostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.remove()


@pytest.fixture
def outage_site(private_postgres, tmp_path, keep_app_logger):
    """The PostgreSQL-restart scenario's deployment: its database lives on the private cluster."""
    return Site("postgresql", SITE_NAME, pg_server=private_postgres.url, instance=tmp_path)
