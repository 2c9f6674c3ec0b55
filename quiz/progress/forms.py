"""Progress forms."""

from flask_wtf import FlaskForm
from wtforms import DecimalField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OverrideForm(FlaskForm):
    """Give a student a grade of the teacher's own, or (left empty) go back to the computed grade."""

    percent = DecimalField("Grade (%)", places=1, validators=[Optional(), NumberRange(min=0, max=100)],
                           description="0 to 100. Leave empty to remove an override and use the quiz's grade.")
    reason = TextAreaField("Reason", filters=[_strip], validators=[DataRequired(), Length(max=500)],
                           description="Kept in the grade's history, for example: “Marked on paper after a "
                                       "connection failure.”")
