"""Fixtures for the whole suite: a migrated database, the app, clients and personas.

The database is SQLite in a temporary folder, or PostgreSQL when ``DATABASE_URL`` is set (as
``.ci/run`` does for its second run). It is migrated once per session and emptied after each test.
"""

from __future__ import annotations

import contextvars
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
MATERIAL = Path(os.environ.get("DEBRIEF_MATERIAL", REPO.parent / "shared" / "material"))
PASSWORD = "correct horse battery"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def postgres_url() -> str | None:
    """The PostgreSQL URL the suite runs against, if ``DATABASE_URL`` names one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture(scope="session")
def material_dir() -> Path:
    """The five real articles; tests needing them are skipped in a clone without ``../shared``."""
    if not MATERIAL.is_dir():
        pytest.skip(f"the reading material folder {MATERIAL} is absent (it ships beside the repo on CI)")
    return MATERIAL


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A freshly migrated database for this test session."""
    from flask_migrate import upgrade

    from quiz import create_app
    from quiz.config import database_url as normalise

    os.environ["DEBRIEF_INSTANCE"] = str(tmp_path_factory.mktemp("instance"))
    if postgres_url():
        url = normalise(postgres_url(), "")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="heads")
        from quiz.extensions import db

        db.engine.dispose()
    return url


class CsrfClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token unless ``csrf=False`` is given.

    Each request runs in an empty context, as a real one would: it gets its own app context,
    ``g`` and database session rather than sharing the test's.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/", follow_redirects=True).get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match, "every page carries the csrf-token meta tag"
        return match.group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "csrf_token" not in (data or {}):
            kwargs["data"] = {**(data or {}), "csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)


def _empty_database(db) -> None:
    # DELETE, children first: on tables this small it is far quicker than TRUNCATE on PostgreSQL.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="session")
def _session_app(database_url):
    """One app for the whole session: building one per test costs more than most tests."""
    from quiz import create_app
    from quiz.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = CsrfClient
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter does it with warnings


@pytest.fixture
def app(_session_app):
    """The app on the session's database, inside an app context; afterwards every table is emptied,
    the config is put back as it was and the rate limits are forgotten."""
    from quiz.extensions import db, limiter

    app = _session_app
    saved_config = dict(app.config)
    with app.app_context():
        limiter.init_app(app)  # tests that build apps of their own rebind the shared limiter
        limiter.reset()
        yield app
        db.session.rollback()
        _empty_database(db)
        db.session.remove()
    app.config.clear()
    app.config.update(saved_config)


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle, inside the app context."""
    from quiz.extensions import db

    return db


@pytest.fixture
def client(app) -> CsrfClient:
    """An anonymous browser."""
    return app.test_client()


def make_user(email: str, name: str, role: str = "student", password: str = PASSWORD):
    """Create and commit a user."""
    from quiz.auth.services import create_user
    from quiz.extensions import db

    user = create_user(email, name, password, role)
    db.session.commit()
    return user


def log_in(client: CsrfClient, user, password: str = PASSWORD):
    """Log ``client`` in as ``user`` through the real login form."""
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def teacher(app):
    """A teacher with one class, "Civics A"."""
    return make_user("teacher@example.org", "Tess Teacher", "teacher")


@pytest.fixture
def other_teacher(app):
    """A teacher of another school class."""
    return make_user("other.teacher@example.org", "Otto Other", "teacher")


@pytest.fixture
def student(app):
    return make_user("student@example.org", "Sam Student")


@pytest.fixture
def other_student(app):
    return make_user("other.student@example.org", "Olga Other")


@pytest.fixture
def admin(app):
    return make_user("admin@example.org", "Ada Admin", "admin")


@pytest.fixture
def classroom(teacher, student):
    """Civics A, taught by ``teacher``, with ``student`` in it."""
    from quiz.classes.models import MemberRole, Membership
    from quiz.classes.services import create_class
    from quiz.extensions import db

    classroom = create_class(teacher, "Civics A", "Civics", "Autumn")
    db.session.add(Membership(classroom=classroom, user=student, role=MemberRole.STUDENT))
    db.session.commit()
    return classroom


@pytest.fixture
def other_classroom(other_teacher, other_student):
    """Civics B, taught by ``other_teacher``, with ``other_student`` in it."""
    from quiz.classes.models import MemberRole, Membership
    from quiz.classes.services import create_class
    from quiz.extensions import db

    classroom = create_class(other_teacher, "Civics B", "Civics", "Autumn")
    db.session.add(Membership(classroom=classroom, user=other_student, role=MemberRole.STUDENT))
    db.session.commit()
    return classroom


@pytest.fixture
def login(app):
    """``login(user)`` gives a new client logged in as ``user``."""

    def _login(user):
        return log_in(app.test_client(), user)

    return _login


@pytest.fixture
def people(classroom, other_classroom, teacher, student, other_student, other_teacher, admin):
    """Everyone the access matrices need: two classes, each with a teacher and a student, and an admin."""
    return {"student": student, "other_student": other_student, "teacher": teacher,
            "other_teacher": other_teacher, "admin": admin, "classroom": classroom,
            "other_classroom": other_classroom}
