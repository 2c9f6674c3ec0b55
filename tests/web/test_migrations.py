"""Migrations: they build the models' schema, and go down to nothing and up again."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from quiz import create_app
from quiz.extensions import db
from tests.conftest import postgres_url


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the suite's kind: a new SQLite file, or a new PostgreSQL schema."""
    if not postgres_url():
        yield "sqlite:///" + str(tmp_path / "scratch.sqlite")
        return
    from quiz.config import database_url

    base = database_url(postgres_url(), "")
    schema = "scratch_" + uuid.uuid4().hex[:8]
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_migrations_go_up_down_and_up_again(scratch_url):
    """Upgrade to head, downgrade to base (no tables left), upgrade again."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        upgrade(revision="heads")
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "classrooms", "memberships", "site_settings"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(revision="heads")
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to add: every model change has its migration."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
