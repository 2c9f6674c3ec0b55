"""The declarative base, shared column types and per-dialect connection settings."""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
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
        connection.exec_driver_sql(begin)
