"""Quiz forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from question_bank.grading import QUESTION_CLASSES
from quiz.quizzes.models import GradingMethod, ReviewWhen

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TYPE_CHOICES = [SelectChoice(name, name.replace("_", " ").capitalize()) for name in QUESTION_CLASSES
                if name != "essay"]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizForm(FlaskForm):
    """A quiz's title and settings."""

    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=200)])
    instructions = TextAreaField("Instructions", filters=[_strip], validators=[Optional(), Length(max=5000)],
                                 description="Shown to students before they start.")
    time_limit_minutes = IntegerField("Time limit (minutes)", validators=[Optional(), NumberRange(1, 600)],
                                      description="Leave empty for no time limit.")
    opens_at = DateTimeLocalField("Opens", format=DATETIME_FORMAT, validators=[Optional()],
                                  description="Leave empty to open as soon as it is assigned.")
    closes_at = DateTimeLocalField("Closes", format=DATETIME_FORMAT, validators=[Optional()],
                                   description="Leave empty to keep it open. Classes may have their own dates.")
    attempts_allowed = IntegerField("Attempts allowed", default=1, validators=[NumberRange(0, 100)],
                                    description="0 for unlimited.")
    grading_method = SelectField("Grade from", default=GradingMethod.HIGHEST.value, choices=[
        SelectChoice(GradingMethod.HIGHEST.value, "The highest attempt"),
        SelectChoice(GradingMethod.LAST.value, "The last attempt"),
        SelectChoice(GradingMethod.FIRST.value, "The first attempt"),
        SelectChoice(GradingMethod.AVERAGE.value, "The average of the attempts")])
    shuffle_questions = BooleanField("Shuffle the questions for each attempt")
    shuffle_choices = BooleanField("Shuffle the choices within questions", default=True)
    questions_per_page = IntegerField("Questions per page", default=5, validators=[NumberRange(0, 100)],
                                      description="0 puts every question on one page.")
    pass_mark = DecimalField("Pass mark (%)", places=1, validators=[Optional(), NumberRange(0, 100)])
    review_when = RadioField("Students may review their attempt", default=ReviewWhen.IMMEDIATELY.value, choices=[
        SelectChoice(ReviewWhen.IMMEDIATELY.value, "Immediately after the attempt"),
        SelectChoice(ReviewWhen.AFTER_CLOSE.value, "After the quiz closes"),
        SelectChoice(ReviewWhen.NEVER.value, "Never")])
    review_score = BooleanField("Their score", default=True)
    review_answers = BooleanField("Their answers", default=True)
    review_correct = BooleanField("The correct answers", default=True)
    review_explanations = BooleanField("Explanations with the cited passage", default=True)

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The closing time must be after the opening time.")


class AddQuestionsForm(FlaskForm):
    """Pick approved questions from the bank."""

    question_ids = MultiCheckboxField("Questions", coerce=int, validate_choice=False,
                                      validators=[DataRequired("Tick at least one question.")])
    marks = DecimalField("Marks each", default=1, places=1, validators=[DataRequired(), NumberRange(0.5, 100)])


class RuleForm(FlaskForm):
    """Add N random questions drawn per attempt."""

    count = IntegerField("How many", default=5, validators=[DataRequired(), NumberRange(1, 100)])
    unit_id = SelectField("From unit", coerce=int, validate_choice=False)
    types = MultiCheckboxField("Types (none ticked: any)", choices=TYPE_CHOICES)
    tags = StringField("Tags (comma-separated; any of them)", filters=[_strip], validators=[Length(max=300)])
    difficulty_min = DecimalField("Difficulty from", default=0, places=1, validators=[NumberRange(0, 1)])
    difficulty_max = DecimalField("to", default=1, places=1, validators=[NumberRange(0, 1)])
    marks = DecimalField("Marks each", default=1, places=1, validators=[DataRequired(), NumberRange(0.5, 100)])


class AssignForm(FlaskForm):
    """Set the quiz for a class."""

    classroom_id = SelectField("Class", coerce=int, validators=[DataRequired()])
    opens_at = DateTimeLocalField("Opens for this class", format=DATETIME_FORMAT, validators=[Optional()],
                                  description="Leave empty to use the quiz's own opening time.")
    closes_at = DateTimeLocalField("Closes for this class", format=DATETIME_FORMAT, validators=[Optional()],
                                   description="Leave empty to use the quiz's own closing time.")

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The closing time must be after the opening time.")


class AccommodationForm(FlaskForm):
    """Extra time or attempts for one student."""

    student_id = SelectField("Student", coerce=int, validators=[DataRequired()])
    extra_minutes = IntegerField("Extra minutes", default=0, validators=[NumberRange(0, 600)])
    extra_attempts = IntegerField("Extra attempts", default=0, validators=[NumberRange(0, 20)])


class ManualGradeForm(FlaskForm):
    """A teacher's mark and comment for one answer."""

    score = DecimalField("Marks", places=2, validators=[InputRequired(), NumberRange(0, 1000)])
    feedback = TextAreaField("Comment for the student", filters=[_strip], validators=[Length(max=5000)])
