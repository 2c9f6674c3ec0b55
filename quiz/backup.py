"""Consistent backups of the database, and restoring one: SQLite's online backup, or pg_dump/pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed arguments, never a shell
from pathlib import Path

from sqlalchemy.engine import make_url

from quiz.extensions import db


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(target: Path) -> Path:
    """Write a consistent copy of the live database to ``target`` (made while the app keeps running)."""
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)])
        return target
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore(source: Path) -> None:
    """Replace the live database's contents with a backup made by :func:`backup`."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite backup: {error}") from error
        live = sqlite3.connect(url.database)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    if url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)])
        return
    raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
