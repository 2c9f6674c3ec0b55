"""``flask backup`` and ``flask restore`` round-trip the database on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from quiz.auth.models import User
from tests.conftest import make_user, postgres_url


@pytest.mark.skipif(bool(postgres_url()) and not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_backup_then_restore_brings_the_data_back(app, db, tmp_path):
    """Data made after a backup is gone after restoring it; data from before is back."""
    make_user("kept@example.org", "Kept")
    target = tmp_path / "snapshot.bak"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    make_user("later@example.org", "Later")
    db.session.execute(User.__table__.delete().where(User.email == "kept@example.org"))
    db.session.commit()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    emails = set(db.session.scalars(select(User.email)))
    assert emails == {"kept@example.org"}


def test_restore_refuses_a_file_that_is_not_a_backup(app, db, tmp_path):
    """A wrong file is refused with a message and the data stays."""
    make_user("kept@example.org", "Kept")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0 and ("not a SQLite backup" in result.output or "pg_restore failed" in result.output)
    assert db.session.scalar(select(User.email)) == "kept@example.org"


def test_restore_asks_before_replacing_everything(app, tmp_path):
    """Without --yes, answering no changes nothing."""
    target = tmp_path / "b.bak"
    app.test_cli_runner().invoke(args=["backup", str(target)])
    result = app.test_cli_runner().invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
