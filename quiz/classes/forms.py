"""Class forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _code(value):
    return value.strip().upper().replace(" ", "").replace("-", "") if isinstance(value, str) else value


class ClassForm(FlaskForm):
    """Create or rename a class."""

    name = StringField("Class name", filters=[_strip], validators=[DataRequired(), Length(max=120)],
                       description="For example: Year 11 Civics, group B.")
    subject = StringField("Subject", filters=[_strip], validators=[Optional(), Length(max=120)])
    term = StringField("Term", filters=[_strip], validators=[Optional(), Length(max=60)],
                       description="For example: Autumn 2026.")


class JoinForm(FlaskForm):
    """A student joins a class with the code the teacher shows."""

    code = StringField("Join code", filters=[_code], validators=[DataRequired(), Length(max=16)],
                       description="The code your teacher gave you, such as K7QM2RX.")


class CoTeacherForm(FlaskForm):
    """Add another teacher to a class."""

    email = EmailField("Teacher's email", filters=[lambda v: v.strip().lower() if v else v],
                       validators=[DataRequired(), Email(check_deliverability=False)])
