"""Discussion forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from quiz.debates.models import Side
from quiz.discussions.services import MAX_POST_LENGTH


class PostForm(FlaskForm):
    """A post or reply: a stance, Markdown text and cited passages."""

    stance = RadioField("Your stance", choices=[SelectChoice(Side.FOR, "For"),
                                                SelectChoice(Side.AGAINST, "Against"),
                                                SelectChoice(Side.UNDECIDED, "Undecided")],
                        default=Side.UNDECIDED, validators=[InputRequired()])
    body = TextAreaField(
        "Your post", validators=[DataRequired("Write something before posting."),
                                 Length(max=MAX_POST_LENGTH, message=(
                                     f"Posts can be up to {MAX_POST_LENGTH:,} characters."))],
        description="Markdown works: **bold**, *italic*, lists, > quotes and [links](https://…).")
    passages = SelectMultipleField(
        "Cite passages", coerce=int, validate_choice=False, validators=[Optional()],
        description="Pick up to five passages from the readings as evidence (Ctrl or ⌘ to pick several).")
    parent_id = HiddenField()
