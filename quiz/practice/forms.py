"""Practice forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from quiz.practice.services import LENGTHS


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: any number of choices."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartForm(FlaskForm):
    """Choose units and/or topics and a length, then start practising."""

    units = CheckboxesField("Units", coerce=int, choices=[])
    tags = CheckboxesField("Topics", choices=[])
    length = RadioField("How many questions", choices=[SelectChoice(n, f"{n} questions") for n in LENGTHS],
                        coerce=int, default=10, validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        """Ask for at least one unit or topic."""
        if not super().validate(extra_validators):
            return False
        if not self.units.data and not self.tags.data:
            self.form_errors.append("Choose at least one unit or topic to practise.")
            return False
        return True


class AnswerForm(FlaskForm):
    """Send an answer (the inputs come from the shared answer macro), or ask to see the answer."""

    submit = SubmitField("Check my answer")
    give_up = SubmitField("Show me the answer")


class RateForm(FlaskForm):
    """A self-rated flashcard: knew it, or didn't."""

    term = HiddenField()
    direction = HiddenField()
    knew = SubmitField("Knew it")
    missed = SubmitField("Didn’t know it")
