"""Class workflows: create, join, leave, roster changes, co-teachers."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quiz.auth.models import Role, User
from quiz.classes.models import Classroom, MemberRole, Membership, new_join_code
from quiz.extensions import db


class ClassError(Exception):
    """A class action that cannot be done, with a message for the user."""


def membership(classroom: Classroom, user: User) -> Membership | None:
    """The user's membership of the class, if any."""
    return db.session.scalar(select(Membership).where(
        Membership.classroom_id == classroom.id, Membership.user_id == user.id))


def is_teacher_of(classroom: Classroom, user: User) -> bool:
    """True for the class's teachers (owner and co-teachers)."""
    member = membership(classroom, user)
    return member is not None and member.role == MemberRole.TEACHER


def class_for(class_id: int, user: User, *, teacher: bool = False) -> Classroom:
    """The class if ``user`` belongs to it (404 otherwise; 403 if a student asks for a teacher's page)."""
    classroom = db.get_or_404(Classroom, class_id)
    member = membership(classroom, user)
    if member is None:
        abort(404)
    if teacher and member.role != MemberRole.TEACHER:
        abort(403)
    return classroom


def classes_of(user: User, role: MemberRole | None = None) -> list[Classroom]:
    """The user's classes, newest first."""
    query = select(Classroom).join(Membership).where(Membership.user_id == user.id)
    if role:
        query = query.where(Membership.role == role)
    return list(db.session.scalars(query.order_by(Classroom.created_at.desc(), Classroom.id.desc())))


def roster(classroom: Classroom, role: MemberRole) -> list[Membership]:
    """The class's students or teachers, by name."""
    return list(db.session.scalars(
        select(Membership).join(User).where(Membership.classroom_id == classroom.id,
                                            Membership.role == role)
        .order_by(User.display_name, User.id)))


def _unique_code() -> str:
    while True:
        code = new_join_code()
        if db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code


def create_class(teacher: User, name: str, subject: str = "", term: str = "") -> Classroom:
    """A new class owned (and taught) by ``teacher``."""
    if not teacher.is_teacher:
        raise ClassError("Only teachers can create classes.")
    classroom = Classroom(name=name, subject=subject or "", term=term or "", owner=teacher,
                          join_code=_unique_code())
    classroom.memberships.append(Membership(user=teacher, role=MemberRole.TEACHER))
    db.session.add(classroom)
    db.session.commit()
    return classroom


def update_class(classroom: Classroom, name: str, subject: str, term: str) -> None:
    """Rename a class or change its subject and term."""
    classroom.name, classroom.subject, classroom.term = name, subject or "", term or ""
    db.session.commit()


def regenerate_code(classroom: Classroom) -> str:
    """A new join code; the old one stops working."""
    classroom.join_code = _unique_code()
    db.session.commit()
    return classroom.join_code


def set_joining(classroom: Classroom, is_open: bool) -> None:
    """Open or close joining by code."""
    classroom.joining_open = is_open
    db.session.commit()


def join_class(student: User, code: str) -> Classroom:
    """Add a student to the class with this code."""
    if student.role != Role.STUDENT:
        raise ClassError("Only students join classes with a code; teachers are added as co-teachers.")
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == code.strip().upper()))
    if classroom is None:
        raise ClassError("No class has that code. Check it with your teacher.")
    if not classroom.joining_open:
        raise ClassError("That class is not taking new students right now. Ask your teacher.")
    if membership(classroom, student):
        raise ClassError(f"You are already in {classroom.name}.")
    db.session.add(Membership(classroom=classroom, user=student, role=MemberRole.STUDENT))
    try:
        db.session.commit()
    except IntegrityError as error:  # the same student joining twice at once
        db.session.rollback()
        raise ClassError(f"You are already in {classroom.name}.") from error
    return classroom


def leave_class(student: User, classroom: Classroom) -> None:
    """A student leaves a class."""
    member = membership(classroom, student)
    if member is None or member.role != MemberRole.STUDENT:
        raise ClassError("You are not a student of this class.")
    db.session.delete(member)
    db.session.commit()


def remove_member(classroom: Classroom, user_id: int, role: MemberRole) -> User:
    """Remove a student (or co-teacher) from a class; the owner cannot be removed."""
    member = db.session.scalar(select(Membership).where(
        Membership.classroom_id == classroom.id, Membership.user_id == user_id,
        Membership.role == role))
    if member is None:
        abort(404)
    if user_id == classroom.owner_id:
        raise ClassError("The class's owner cannot be removed.")
    user = member.user
    db.session.delete(member)
    db.session.commit()
    return user


def add_co_teacher(classroom: Classroom, email: str) -> User:
    """Add a teacher, found by email, as a co-teacher of the class."""
    teacher = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if teacher is None or not teacher.is_teacher:
        raise ClassError("No teacher has an account with that email.")
    if membership(classroom, teacher):
        raise ClassError(f"{teacher.display_name} is already in this class.")
    db.session.add(Membership(classroom=classroom, user=teacher, role=MemberRole.TEACHER))
    db.session.commit()
    return teacher
