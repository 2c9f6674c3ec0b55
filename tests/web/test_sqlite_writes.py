"""SQLite under concurrent writers: writes begin IMMEDIATE, so writers queue instead of failing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import OperationalError

from quiz.auth.models import SiteSetting
from quiz.database import _sqlite_begin, immediate_transactions, reset_transactions
from tests.conftest import postgres_url

pytestmark = pytest.mark.skipif(bool(postgres_url()), reason="SQLite's locking only; PostgreSQL locks rows")


def _counter(db) -> int:
    db.session.expire_all()
    return int(db.session.get(SiteSetting, "counter").value)


def _increment(app, db, errors: list, mode_token_factory, barrier=None) -> None:
    with app.app_context():
        token = mode_token_factory()
        try:
            setting = db.session.get(SiteSetting, "counter")
            if barrier is not None:
                barrier.wait()
            setting.value = str(int(setting.value) + 1)
            db.session.commit()
        except OperationalError as error:
            errors.append(error)
            db.session.rollback()
        finally:
            reset_transactions(token)
            db.session.remove()


@pytest.fixture
def counter(db):
    db.session.add(SiteSetting(key="counter", value="0"))
    db.session.commit()


def test_fifty_threads_read_then_write_without_losing_one(app, db, counter):
    """Fifty concurrent read-then-write transactions all succeed, and no increment is lost."""
    errors: list = []
    threads = [threading.Thread(target=_increment, args=(app, db, errors, immediate_transactions))
               for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _counter(db) == 50


def test_deferred_transactions_would_fail_or_lose_writes(app, db, counter):
    """The control: read-then-write in deferred transactions fails with "database is locked"."""
    errors: list = []
    barrier = threading.Barrier(5)
    threads = [threading.Thread(target=_increment, args=(app, db, errors, lambda: _sqlite_begin.set("BEGIN"),
                                                         barrier)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors and all("locked" in str(error) for error in errors)
    assert _counter(db) == 5 - len(errors)
