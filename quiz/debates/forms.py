"""Prompt, assignment and live-debate forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quiz.debates.models import AssignmentKind, Side


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PromptForm(FlaskForm):
    """A teacher's own prompt: the question, its framing, the positions and suggested passages."""

    unit_id = SelectField("Unit", coerce=int, validators=[InputRequired()])
    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=200)],
                        description="A short name, such as “Do sanctions work?”.")
    question = TextAreaField("Question", filters=[_strip], validators=[DataRequired(), Length(max=1000)],
                             description="The debatable question students answer.")
    framing = TextAreaField("Framing", filters=[_strip], validators=[Optional(), Length(max=3000)],
                            description="A few sentences of background.")
    position_for = TextAreaField("The case for", filters=[_strip], validators=[Optional(), Length(max=1500)])
    position_against = TextAreaField("The case against", filters=[_strip],
                                     validators=[Optional(), Length(max=1500)])
    position_other = TextAreaField("Another view", filters=[_strip],
                                   validators=[Optional(), Length(max=1500)])
    evidence = TextAreaField(
        "Suggested evidence", filters=[_strip], validators=[Optional(), Length(max=4000)],
        description="One per line: the article's id in the unit's source list, a bar, and a short exact "
                    "phrase of it, such as “insight | These sanctions have isolated both countries”.")

    def positions(self) -> list[dict]:
        """The positions as the prompt stores them."""
        pairs = (("for", self.position_for.data), ("against", self.position_against.data),
                 ("other", self.position_other.data))
        return [{"stance": stance, "summary": text} for stance, text in pairs if text]

    def evidence_items(self) -> list[dict]:
        """The suggested-evidence lines as ``{"source", "quote_hint"}`` items."""
        items = []
        for line in (self.evidence.data or "").splitlines():
            if not line.strip():
                continue
            source, bar, hint = line.partition("|")
            if not bar:
                source, hint = "", source
            items.append({"source": source.strip(), "quote_hint": hint.strip()})
        return items


class RoundsForm(FlaskForm):
    """The three rounds' durations, in minutes, and whether students pick their side."""

    opening = FloatField("Opening statements (minutes)", default=3,
                         validators=[InputRequired(), NumberRange(min=0.25, max=60)])
    rebuttal = FloatField("Rebuttals (minutes)", default=2,
                          validators=[InputRequired(), NumberRange(min=0.25, max=60)])
    closing = FloatField("Closing statements (minutes)", default=1.5,
                         validators=[InputRequired(), NumberRange(min=0.25, max=60)])
    students_choose_side = BooleanField("Students choose their side", default=True,
                                        description="Otherwise you deal the sides out from the debate page.")

    def rounds(self) -> list[dict]:
        """The rounds as the debate stores them."""
        return [{"name": "Opening statements", "seconds": round(self.opening.data * 60)},
                {"name": "Rebuttals", "seconds": round(self.rebuttal.data * 60)},
                {"name": "Closing statements", "seconds": round(self.closing.data * 60)}]


class AssignForm(RoundsForm):
    """Set a prompt to a class as a discussion, an essay or a live debate."""

    prompt_id = SelectField("Prompt", coerce=int, validators=[InputRequired()])
    kind = RadioField("Set it as", choices=[SelectChoice(AssignmentKind.DISCUSSION, "A discussion thread"),
                                            SelectChoice(AssignmentKind.ESSAY, "An essay"),
                                            SelectChoice(AssignmentKind.DEBATE, "A live debate")],
                      default=AssignmentKind.DISCUSSION, validators=[InputRequired()])
    instructions = TextAreaField("Instructions", filters=[_strip], validators=[Optional(), Length(max=3000)],
                                 description="Optional: what you expect, and by when.")
    anonymous = BooleanField("Anonymous discussion",
                             description="Classmates see aliases instead of names; you always see names.")
    target_posts = IntegerField("Posts each student should write", default=1,
                                validators=[Optional(), NumberRange(min=0, max=20)])
    target_cited_posts = IntegerField("…of which cite a passage", default=1,
                                      validators=[Optional(), NumberRange(min=0, max=20)])
    target_replies = IntegerField("Replies to classmates", default=2,
                                  validators=[Optional(), NumberRange(min=0, max=50)])
    rubric_id = SelectField("Rubric", coerce=int, validators=[Optional()],
                            description="For essays. Write rubrics under “Rubrics”.")
    min_words = IntegerField("Minimum words", default=0,
                             validators=[Optional(), NumberRange(min=0, max=5000)])


class JoinDebateForm(FlaskForm):
    """A student joins a live debate with the code on the projector."""

    code = StringField("Debate code", filters=[_strip], validators=[DataRequired(), Length(max=16)],
                       description="The six-letter code on the screen at the front.")


class SideForm(FlaskForm):
    """A student picks a side."""

    side = RadioField("Your side",
                      choices=[SelectChoice(Side.FOR, "For"), SelectChoice(Side.AGAINST, "Against")],
                      validators=[InputRequired()])


class VoteForm(FlaskForm):
    """An audience vote."""

    side = RadioField("Your vote", choices=[SelectChoice(Side.FOR, "For the motion"),
                                            SelectChoice(Side.AGAINST, "Against the motion"),
                                            SelectChoice(Side.UNDECIDED, "Undecided")],
                      validators=[InputRequired()])
