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


def _lock_is_free(path: str) -> bool:
    """Whether another open file could take the writers' lock right now."""
    import fcntl
    import os

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases the lock if it was taken
    return True


def test_writers_take_turns_and_the_next_goes_when_one_gives_back(tmp_path):
    """A second thread waits for the first's turn to end, and goes as soon as it does."""
    from quiz.database import WriterQueue

    queue, database, order = WriterQueue(), str(tmp_path / "turns.sqlite"), []
    first_has_it, first_done = threading.Event(), threading.Event()

    def first():
        queue.take(database)
        first_has_it.set()
        first_done.wait(timeout=30)
        order.append("first gives back")
        queue.give_back()

    def second():
        first_has_it.wait(timeout=30)
        queue.take(database)
        order.append("second writes")
        queue.give_back()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_has_it.wait(timeout=30)
    threads[1].join(timeout=0.3)
    assert threads[1].is_alive() and order == []  # still waiting for its turn
    first_done.set()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["first gives back", "second writes"]
    assert _lock_is_free(database + ".writers")


def test_a_thread_that_ends_holding_its_turn_frees_it(tmp_path):
    """A thread that dies mid-turn cannot leave every other writer waiting for ever."""
    import gc

    from quiz.database import WriterQueue

    queue, database = WriterQueue(), str(tmp_path / "turns.sqlite")
    thread = threading.Thread(target=queue.take, args=(database,))
    thread.start()
    thread.join()
    gc.collect()
    assert _lock_is_free(database + ".writers")


def test_a_request_gives_its_turn_back_when_it_ends(app, db, login, student):
    """After a writing request, successful or refused, no turn is left held."""
    from quiz.database import writers

    browser = login(student)
    database = db.engine.url.database
    assert browser.post("/classes/join", data={"code": "NOPE-NOPE"}).status_code == 422  # refused by its form
    assert browser.post("/classes/999/leave").status_code == 404  # aborted mid-request
    assert _lock_is_free(database + ".writers")
    assert getattr(writers._local, "held", None) is None
