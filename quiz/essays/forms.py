"""Essay, rubric and rubric-grading forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from quiz.essays.models import Rubric, RubricGrade
from quiz.essays.services import MAX_COMMENT_LENGTH, MAX_ESSAY_LENGTH


class EssayForm(FlaskForm):
    """A student's essay: saved as a draft or submitted."""

    body = TextAreaField("Your essay", validators=[Optional(), Length(max=MAX_ESSAY_LENGTH)],
                         description="Drafts save themselves every few seconds; submit when you are done.")


class RubricForm(FlaskForm):
    """A rubric written as text: criteria and their levels with points."""

    title = StringField("Title", filters=[lambda v: v.strip() if v else v],
                        validators=[DataRequired(), Length(max=200)])
    prompt_id = SelectField("Written for", coerce=int, validators=[Optional()],
                            description="Optional: the prompt this rubric was written for. "
                                        "Any rubric can be reused.")
    text = TextAreaField(
        "Criteria and levels", validators=[DataRequired(), Length(max=20_000)],
        description="A criterion per line as “Title: what it judges”, then its levels as "
                    "“- points Level: description”. Leave a blank line between criteria.")


class RubricGradeForm(FlaskForm):
    """Grading with a rubric: a level per criterion and a comment (fields added per rubric)."""

    comment = TextAreaField("Comment for the student",
                            validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)])

    criterion_fields: list[tuple[int, str]]

    def scores(self) -> dict[int, int]:
        """The chosen level id per criterion id, for ``grade_with_rubric``."""
        return {criterion_id: self[name].data for criterion_id, name in self.criterion_fields
                if self[name].data is not None}

    def criteria(self):
        """(criterion, field) pairs, in the rubric's order."""
        return [(self._rubric_criteria[cid], self[name]) for cid, name in self.criterion_fields]


def rubric_grade_form(rubric: Rubric, grade: RubricGrade | None = None, **kwargs) -> RubricGradeForm:
    """The grading form for ``rubric``, filled from ``grade`` when regrading."""

    class Form(RubricGradeForm):
        pass

    fields = []
    for criterion in rubric.criteria:
        name = f"criterion_{criterion.id}"
        setattr(Form, name, RadioField(
            criterion.title, coerce=int,
            validators=[InputRequired(f"Choose a level for “{criterion.title}”.")],
            choices=[SelectChoice(level.id, f"{level.title} ({level.points})")
                     for level in criterion.levels]))
        fields.append((criterion.id, name))
    Form.criterion_fields = fields
    if grade is not None and "formdata" not in kwargs:
        chosen = {score.criterion_id: score.level_id for score in grade.scores}
        data = {name: chosen.get(cid) for cid, name in fields}
        kwargs.setdefault("data", data | {"comment": grade.comment})
    form = Form(**kwargs)
    form._rubric_criteria = {c.id: c for c in rubric.criteria}
    return form
