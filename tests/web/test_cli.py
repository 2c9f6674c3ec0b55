"""The ``flask users`` and ``flask demo`` commands."""

from __future__ import annotations

import contextvars

from sqlalchemy import select

from quiz import create_app
from quiz.auth.models import User
from quiz.auth.services import check_invite_code
from quiz.classes.models import Classroom


def test_create_admin_from_the_command_line(app, db):
    """The first admin is made with ``flask users create --role admin``."""
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "Head@School.org", "--name",
                                                "Head", "--role", "admin", "--password", "long enough pass"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("head@school.org", "admin")


def test_create_refuses_a_weak_password_and_a_taken_email(app, db, student):
    """Bad input is reported and nothing is stored."""
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "--email", "t@school.org", "--name", "T", "--role",
                               "teacher", "--password", "123456"])
    assert weak.exit_code != 0 and "at least 8" in weak.output
    taken = runner.invoke(args=["users", "create", "--email", student.email, "--name", "T",
                                "--password", "long enough pass"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    assert db.session.scalar(select(User).where(User.email == "t@school.org")) is None


def test_invite_code_is_generated_printed_and_checkable(app, db):
    """The printed code admits teachers; clearing it closes teacher sign-up."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "invite-code"])
    code = result.output.split("Teacher invitation code: ")[1].split()[0]
    assert check_invite_code(code) and not check_invite_code(code + "x")
    runner.invoke(args=["users", "invite-code", "--clear"])
    assert not check_invite_code(code)


def test_every_command_has_help(app):
    """``--help`` works on every command and says what it does."""
    runner = app.test_cli_runner()
    for group in ("users", "demo", "bank"):
        group_help = runner.invoke(args=[group, "--help"])
        assert group_help.exit_code == 0
        command_names = app.cli.get_command(None, group).list_commands(None)
        for name in command_names:
            result = runner.invoke(args=[group, name, "--help"])
            assert result.exit_code == 0 and "Usage:" in result.output and len(result.output) > 80


def test_demo_setup_only_in_demo_mode(app):
    """Outside demo mode no demo accounts are ever made."""
    result = app.test_cli_runner().invoke(args=["demo", "setup"])
    assert result.exit_code != 0 and "only made in demo mode" in result.output


def test_demo_setup_prints_fresh_passwords_that_work(database_url, app, db):
    """Demo mode makes a teacher, a student and a class, with passwords printed once."""
    demo = create_app("demo", SQLALCHEMY_DATABASE_URI=database_url)

    def setup():  # in a context of its own, so the demo app (not the test's) is current
        return contextvars.Context().run(demo.test_cli_runner().invoke, args=["demo", "setup"])

    first = setup()
    assert first.exit_code == 0 and "Do not use them in production" in first.output
    second = setup()
    with demo.app_context():
        db.engine.dispose()
    assert second.output != first.output  # new passwords each time
    password = second.output.split("student@demo.debrief.local")[1].split()[0]
    client = app.test_client()
    assert client.post("/auth/login", data={"email": "student@demo.debrief.local",
                                            "password": password}).status_code == 302
    assert len(db.session.scalars(select(Classroom)).all()) == 1
