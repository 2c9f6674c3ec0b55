"""The declarative base, shared column types and per-dialect connection settings."""

from __future__ import annotations

import fcntl
import os
import threading
from contextvars import ContextVar, Token
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every model's base: constraint names are predictable, so migrations can drop them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (pass the function, never its result, as a default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


_sqlite_begin: ContextVar[str] = ContextVar("sqlite_begin", default="")


def immediate_transactions() -> Token:
    """Make SQLite transactions begun in this context take the write lock at once; undo with ``reset``."""
    return _sqlite_begin.set("BEGIN IMMEDIATE")


def reset_transactions(token: Token) -> None:
    _sqlite_begin.reset(token)


class _TurnFile:
    """The lock file, open in one thread; closing it (when its thread is gone) releases any lock it held."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def __del__(self, close=os.close) -> None:  # ``os`` itself may be gone when the interpreter exits
        close(self.fd)


class WriterQueue:
    """Writers to one SQLite file take turns through an operating-system lock on a file beside it.

    SQLite lets one writer in at a time; the others wait in its busy handler, which polls with sleeps
    of 1, 2, 5 ... up to 100 ms. Under a burst (a class autosaving, everyone submitting) a waiting
    writer sleeps long after the lock came free: the queue moves slower than the work and the slowest
    requests wait tens of milliseconds for nothing. ``flock`` instead wakes the next writer the moment
    the lock is released. A writer takes its turn before its transaction begins and gives it back when
    the connection returns to the pool, after its commit or rollback; the busy timeout still covers
    anything that writes without a turn (the ``flask`` commands, a second program).

    Each thread has its own open file (``flock`` locks belong to an open file, so two threads sharing
    one would not exclude each other), opened again in a forked child and closed with its thread.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def take(self, database: str) -> None:
        """Wait for this thread's turn to write ``database`` (a no-op if it already has it)."""
        local = self._local
        if getattr(local, "held", None) is not None:
            return
        if getattr(local, "pid", None) != os.getpid():
            local.files, local.pid = {}, os.getpid()
        file = local.files.get(database)
        if file is None:
            file = local.files[database] = _TurnFile(database + ".writers")
        fcntl.flock(file.fd, fcntl.LOCK_EX)
        local.held = file

    def give_back(self) -> None:
        """End this thread's turn, if it has one."""
        file = getattr(self._local, "held", None)
        if file is not None:
            self._local.held = None
            fcntl.flock(file.fd, fcntl.LOCK_UN)


writers = WriterQueue()


def _sqlite_file(connection) -> str | None:
    """The file a SQLAlchemy connection writes to, if it is a SQLite file."""
    url = connection.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return url.database


def conditional_writes(view):
    """Mark a view whose writes are all conditional (compare and set): on SQLite it reads without the
    write lock, which a POST otherwise takes at its first query, and takes its turn (``take_write_turn``)
    only for the writes. A burst of such requests then spends only its writes in the queue."""
    view.conditional_writes = True
    return view


def take_write_turn(session) -> None:
    """Before the first write of a transaction that read without the write lock: on SQLite, wait for
    this process's turn (see :class:`WriterQueue`). Writes after reads made outside the lock must be
    conditional (compare and set), since what was read may have changed meanwhile."""
    database = _sqlite_file(session.connection())
    if database is not None:
        writers.take(database)


@event.listens_for(Pool, "checkin")
def _end_write_turn(dbapi_connection, connection_record) -> None:
    """The connection is back in the pool (committed or rolled back): the next writer may go."""
    writers.give_back()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """WAL lets readers work beside a writer; the busy timeout makes writers wait instead of failing."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """In a writing context (a POST request), a SQLite transaction begins with ``BEGIN IMMEDIATE``.

    It then holds the write lock from its first read, so its reads and writes are one consistent
    step and concurrent writers queue on the busy timeout. (A deferred transaction that has read
    cannot wait for the lock: once another writer commits, SQLite fails it at once with "database is
    locked".) Elsewhere the driver's default stands: reads run outside transactions and a transaction
    begins at its first write, which waits for the lock too.
    """
    begin = _sqlite_begin.get()
    if begin and connection.dialect.name == "sqlite":
        database = _sqlite_file(connection)
        if database is not None and begin == "BEGIN IMMEDIATE":
            writers.take(database)
        connection.exec_driver_sql(begin)
