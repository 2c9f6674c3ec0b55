"""Account workflows: sign up, authenticate, passwords, the teacher invitation code."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from quiz.auth.models import Role, SiteSetting, User
from quiz.auth.passwords import hash_password, needs_rehash, verify_password
from quiz.database import utcnow
from quiz.extensions import db

INVITE_CODE_KEY = "teacher_invite_code"


class AuthError(Exception):
    """A problem the user can fix; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def find_user_by_email(email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, display_name: str, password: str, role: Role = Role.STUDENT) -> User:
    """Add a user to the session (the caller commits); refuses an email already taken."""
    email = email.strip().lower()
    if find_user_by_email(email):
        raise AuthError("An account with that email already exists.", field="email")
    user = User(email=email, display_name=display_name.strip(), role=Role(role),
                password_hash=hash_password(password))
    db.session.add(user)
    return user


def sign_up(email: str, display_name: str, password: str, role: str, invite_code: str = "") -> User:
    """Register a student, or a teacher holding the current invitation code."""
    role = Role(role)
    if role == Role.ADMIN:
        raise AuthError("Admins are created on the command line.", field="role")
    if role == Role.TEACHER and not check_invite_code(invite_code):
        raise AuthError("That invitation code is not valid. Ask your administrator for the current one.",
                        field="invite_code")
    user = create_user(email, display_name, password, role)
    db.session.commit()
    return user


_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The user if email and password match, else None; unknown emails cost the same time."""
    user = find_user_by_email(email)
    if user is None:
        # Verify against a throwaway hash so unknown and known emails take as long.
        dummy = _DUMMY_HASH.setdefault("hash", hash_password(secrets.token_hex(16)))
        verify_password(dummy, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; logs out every other session."""
    if not verify_password(user.password_hash, current):
        raise AuthError("Your current password is not correct.", field="current_password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of the user."""
    user.session_version += 1
    db.session.commit()


def set_invite_code(code: str | None = None) -> str:
    """Set (or generate) the teacher invitation code; only its hash is stored."""
    code = code or secrets.token_urlsafe(9)
    setting = db.session.get(SiteSetting, INVITE_CODE_KEY) or SiteSetting(key=INVITE_CODE_KEY)
    setting.value = hash_password(code)
    db.session.add(setting)
    db.session.commit()
    return code


def clear_invite_code() -> None:
    """Stop teacher sign-ups until a new code is set."""
    setting = db.session.get(SiteSetting, INVITE_CODE_KEY)
    if setting:
        db.session.delete(setting)
        db.session.commit()


def check_invite_code(code: str) -> bool:
    """True when ``code`` is the current teacher invitation code."""
    setting = db.session.get(SiteSetting, INVITE_CODE_KEY)
    if setting is None or not code:
        return False
    return verify_password(setting.value, code.strip())
