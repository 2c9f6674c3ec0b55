"""``flask users`` and ``flask demo`` commands."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from quiz import clock
from quiz.auth.models import Role, User
from quiz.auth.passwords import password_problem
from quiz.auth.services import AuthError, clear_invite_code, create_user, find_user_by_email, set_invite_code
from quiz.classes.models import Classroom, MemberRole, Membership
from quiz.classes.services import create_class
from quiz.extensions import db

users_cli = AppGroup("users", help="Manage accounts and the teacher invitation code.")


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path | None) -> None:
    """Write a consistent copy of the database (default: instance/backups/debrief-<time>.<ext>)."""
    from quiz.backup import BackupError, backup

    if target is None:
        ext = "sqlite" if db.engine.dialect.name == "sqlite" else "dump"
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        target = Path(current_app.instance_path) / "backups" / f"debrief-{stamp}.{ext}"
    try:
        written = backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {written}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace everything in the database with a backup made by `flask backup`."""
    from quiz.backup import BackupError, restore

    if not yes:
        click.confirm(f"Replace the whole database with {source.name}? Everything since the backup is lost",
                      abort=True)
    try:
        restore(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the database from {source}.")
demo_cli = AppGroup("demo", help="Set up the local demo (never in production).")


@users_cli.command("create")
@click.option("--email", prompt=True, help="Email address; it is also the login.")
@click.option("--name", "display_name", prompt="Display name", help="The name others see.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STUDENT.value,
              show_default=True, help="student, teacher or admin.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Leave out to be asked for it without echo.")
def create_user_command(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account (the first admin, or a teacher without an invitation code)."""
    problem = password_problem(password, email=email,
                               min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_user(email, display_name, password, Role(role))
    except AuthError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("list")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Only this role.")
def list_users_command(role: str | None) -> None:
    """List accounts with their roles."""
    query = select(User).order_by(User.role, User.email)
    if role:
        query = query.where(User.role == role)
    for user in db.session.scalars(query):
        click.echo(f"{user.role:8} {user.email}  ({user.display_name})")


@users_cli.command("invite-code")
@click.option("--code", help="Use this code instead of a generated one.")
@click.option("--clear", is_flag=True, help="Remove the code: teachers can no longer sign up.")
def invite_code_command(code: str | None, clear: bool) -> None:
    """Set the code teachers give when signing up (only its hash is stored)."""
    if clear:
        clear_invite_code()
        click.echo("Teacher sign-up is closed until a new code is set.")
        return
    if code is not None and len(code.strip()) < 6:
        raise click.ClickException("Use an invitation code of at least 6 characters.")
    code = set_invite_code(code.strip() if code else None)
    click.echo(f"Teacher invitation code: {code}")
    click.echo("Give it to the teachers who should sign up; set a new one to stop the old one working.")


DEMO_TEACHER = "teacher@demo.debrief.local"
DEMO_STUDENT = "student@demo.debrief.local"


def _demo_account(email: str, name: str, role: Role, password: str) -> User:
    from quiz.auth.passwords import hash_password

    user = find_user_by_email(email)
    if user is None:
        user = create_user(email, name, password, role)
    else:
        user.password_hash = hash_password(password)
        user.session_version += 1
    return user


@demo_cli.command("setup")
def demo_setup_command() -> None:
    """Create demo accounts and a demo class with fresh random passwords, and print them."""
    if not current_app.config.get("DEMO_MODE"):
        raise click.ClickException("Demo accounts are only made in demo mode (DEBRIEF_CONFIG=demo).")
    passwords = {email: secrets.token_urlsafe(9) for email in (DEMO_TEACHER, DEMO_STUDENT)}
    teacher = _demo_account(DEMO_TEACHER, "Demo Teacher", Role.TEACHER, passwords[DEMO_TEACHER])
    student = _demo_account(DEMO_STUDENT, "Demo Student", Role.STUDENT, passwords[DEMO_STUDENT])
    db.session.commit()
    classroom = db.session.scalar(select(Classroom).where(Classroom.owner_id == teacher.id))
    if classroom is None:
        classroom = create_class(teacher, "Demo class", "Civics", "Demo term")
    if db.session.scalar(select(Membership).where(Membership.classroom_id == classroom.id,
                                                  Membership.user_id == student.id)) is None:
        db.session.add(Membership(classroom=classroom, user=student, role=MemberRole.STUDENT))
    db.session.commit()
    click.secho("Demo accounts (new passwords each start). Do not use them in production:",
                fg="yellow", bold=True)
    click.echo(f"  teacher  {DEMO_TEACHER}  {passwords[DEMO_TEACHER]}")
    click.echo(f"  student  {DEMO_STUDENT}  {passwords[DEMO_STUDENT]}")
    click.echo(f"  class    {classroom.name}, join code {classroom.join_code}")
