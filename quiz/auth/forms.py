"""Account forms."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from quiz.auth.models import Role
from quiz.auth.passwords import password_problem


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class NewPasswordMixin:
    """Checks a new password against the rules (length, common passwords, not the email)."""

    def check_new_password(self, field, email: str = "") -> None:
        problem = password_problem(
            field.data or "", email=email, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        if problem:
            raise ValidationError(problem)


class SignupForm(NewPasswordMixin, FlaskForm):
    """Create an account; teachers also give the invitation code from their admin."""

    display_name = StringField("Your name", filters=[_strip],
                               validators=[DataRequired(), Length(max=80)],
                               description="Shown to your teachers and classmates.")
    email = EmailField("Email", filters=[_lower],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()],
                             description="At least 8 characters; avoid common passwords.")
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    role = RadioField("I am a", choices=[SelectChoice(Role.STUDENT.value, "Student"),
                               SelectChoice(Role.TEACHER.value, "Teacher")],
                      default=Role.STUDENT.value, validators=[DataRequired()])
    invite_code = StringField("Teacher invitation code", filters=[_strip],
                              validators=[Optional(), Length(max=64)],
                              description="Teachers only: ask your Debrief administrator.")

    def validate_password(self, field) -> None:
        self.check_new_password(field, self.email.data or "")

    def validate_invite_code(self, field) -> None:
        if self.role.data == Role.TEACHER and not field.data:
            raise ValidationError("Teachers need the invitation code from their administrator.")


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = EmailField("Email", filters=[_lower], validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Remember me on this device")
    next = HiddenField()


class ProfileForm(FlaskForm):
    """Change the name others see."""

    display_name = StringField("Your name", filters=[_strip],
                               validators=[DataRequired(), Length(max=80)])


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    """Change one's password; every other session is logged out."""

    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired()],
                             description="At least 8 characters; avoid common passwords.")
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field) -> None:
        self.check_new_password(field, self._email)
