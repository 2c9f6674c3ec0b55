"""Bank forms: units, readings, generation, the question editor, filters, import and export."""

from __future__ import annotations

import math
import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, AnyOf, DataRequired, Length, NumberRange, Optional, Regexp

from question_bank.formats import FORMATS
from question_bank.generation import GENERATED_TYPES
from question_bank.model import QUESTION_TYPES
from question_bank.model import Question as PlainQuestion

BLANK = "_____"
BLANKS = re.compile(r"_{3,}")
TYPE_LABELS = {
    "multiple_choice": "Multiple choice",
    "true_false": "True or false",
    "cloze": "Fill in the blank (cloze)",
    "numeric": "Numeric answer",
    "matching": "Matching pairs",
    "ordering": "Put in order",
    "short_answer": "Short answer",
    "essay": "Essay",
}
TYPE_HELP = {
    "multiple_choice": "One correct choice among two or more.",
    "true_false": "A statement the student marks true or false.",
    "cloze": "A sentence with one blank (_____) the student fills in.",
    "numeric": "A number, with an optional tolerance and unit.",
    "matching": "Terms the student matches to their descriptions.",
    "ordering": "Items the student puts in the right order.",
    "short_answer": "A word or phrase typed in, with other accepted spellings.",
    "essay": "A written answer the teacher reads.",
}
DIFFICULTY_BANDS = {"easy": (0.0, 0.4, 0.25), "medium": (0.4, 0.7, 0.5), "hard": (0.7, 1.01, 0.8)}
"""Difficulty bands a teacher chooses from: (from, below, the value stored for a new choice)."""
ENTRY_FIELDS = {"choices": ("text", "correct"), "pairs": ("term", "match"), "items": None}
MIN_ENTRIES = {"choices": 4, "pairs": 3, "items": 4}
MAX_ENTRIES = 20


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def difficulty_band(value: float) -> str:
    """The band (easy, medium, hard) a difficulty from 0 to 1 falls in."""
    for name, (low, high, _) in DIFFICULTY_BANDS.items():
        if low <= value < high:
            return name
    return "medium"


def parse_number(text: str) -> float | None:
    """A finite number written plainly (``2000``, ``-3.5``, ``1e3``), else None."""
    try:
        number = float(text.strip())
    except (ValueError, AttributeError):
        return None
    return number if math.isfinite(number) else None


def format_number(number: float) -> str:
    """A number as a teacher writes it: ``3`` rather than ``3.0``."""
    return f"{number:g}" if abs(number) < 1e15 else repr(number)


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one list of choices."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# --------------------------------------------------------------------------- units and readings


class UnitForm(FlaskForm):
    """Create a unit or change its title, subject and summary."""

    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=200)],
                        description="For example: The Russia–North Korea treaty.")
    subject = StringField("Subject", filters=[_strip], validators=[Optional(), Length(max=120)],
                          description="For example: Civics, Geography, Current affairs.")
    summary = TextAreaField("Summary", filters=[_strip], validators=[Optional(), Length(max=4000)],
                            description="A few sentences on what the unit covers.")


class ReadingForm(FlaskForm):
    """Add a reading: upload a file or paste its text, with optional details."""

    file = FileField("Upload a file", description="Plain text, Markdown, HTML or PDF, up to 5 MB.")
    text = TextAreaField("…or paste the text", validators=[Optional(), Length(max=2_000_000)])
    text_format = SelectField("Pasted text is", choices=options([
        ("text", "Plain text"), ("markdown", "Markdown"), ("html", "HTML")]), default="text")
    title = StringField("Title", filters=[_strip], validators=[Optional(), Length(max=300)],
                        description="Leave empty to take it from the reading.")
    publisher = StringField("Publisher", filters=[_strip], validators=[Optional(), Length(max=200)])
    author = StringField("Author", filters=[_strip], validators=[Optional(), Length(max=200)])
    published = StringField("Date published", filters=[_strip], validators=[
        Optional(), Regexp(r"^\d{4}(-\d{2}(-\d{2})?)?$", message="Write the date as 2025-03-14, "
                                                                 "2025-03 or 2025.")],
        description="Year, year and month, or a full date such as 2025-03-14.")
    url = URLField("Link to the original", filters=[_strip], validators=[
        Optional(), URL(message="Give a full web address, starting with https://."), Length(max=500)])

    def validate(self, extra_validators=None) -> bool:
        """Exactly one of a file and pasted text."""
        valid = super().validate(extra_validators)
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        has_text = bool(self.text.data and self.text.data.strip())
        if has_file and has_text:
            self.text.errors.append("Upload a file or paste text, not both.")
            return False
        if not has_file and not has_text:
            self.file.errors = [*self.file.errors, "Choose a file to upload, or paste the text below."]
            return False
        return valid


class GenerateForm(FlaskForm):
    """Generate draft questions from a reading."""

    types = MultiCheckboxField("Question types",
                               choices=options((t, TYPE_LABELS[t]) for t in GENERATED_TYPES),
                               default=list(GENERATED_TYPES),
                               validators=[DataRequired(message="Choose at least one question type.")])
    count = IntegerField("How many questions (at most)", default=10,
                         validators=[DataRequired(), NumberRange(min=1, max=100)])


class DeleteReadingForm(FlaskForm):
    """Delete a reading, keeping or retiring the questions that cite it."""

    then = RadioField("Questions that cite this reading", default="keep", choices=options([
        ("keep", "Keep them: they keep the quoted passage as their citation"),
        ("retire", "Retire them: they leave quizzes and the review queue")]))


# --------------------------------------------------------------------------- the question editor


class ChoiceEntry(Form):
    """One choice of a multiple-choice question."""

    text = StringField("Choice", filters=[_strip], validators=[Optional(), Length(max=1000)])
    correct = BooleanField("Correct")


class PairEntry(Form):
    """One pair of a matching question."""

    term = StringField("Term", filters=[_strip], validators=[Optional(), Length(max=500)])
    match = StringField("Matches", filters=[_strip], validators=[Optional(), Length(max=1000)])


class QuestionForm(FlaskForm):
    """Write or edit a question of any type; ``validate`` applies the rules of its type."""

    qtype = HiddenField(validators=[AnyOf(QUESTION_TYPES, message="Choose a question type.")])
    stem = TextAreaField("Question", filters=[_strip], validators=[DataRequired(), Length(max=4000)])
    answer = StringField("Answer", filters=[_strip], validators=[Optional(), Length(max=1000)])
    truth = RadioField("The statement is", choices=options([("true", "True"), ("false", "False")]),
                       validators=[Optional()])
    choices = FieldList(FormField(ChoiceEntry), max_entries=MAX_ENTRIES)
    accepted = TextAreaField("Other accepted answers", filters=[_strip],
                             validators=[Optional(), Length(max=4000)],
                             description="One per line: other spellings or wordings that are also right.")
    tolerance = StringField("Tolerance (±)", filters=[_strip], validators=[Optional(), Length(max=40)],
                            description="How far from the answer still counts as right; 0 for exact.")
    number_unit = StringField("Unit", filters=[_strip], validators=[Optional(), Length(max=40)],
                              description="Shown after the answer box, such as km or %.")
    pairs = FieldList(FormField(PairEntry), max_entries=MAX_ENTRIES)
    items = FieldList(StringField("Item", filters=[_strip], validators=[Optional(), Length(max=1000)]),
                      max_entries=MAX_ENTRIES)
    explanation = TextAreaField("Explanation", filters=[_strip], validators=[Optional(), Length(max=4000)],
                                description="Shown to students after they answer.")
    tags = StringField("Tags", filters=[_strip], validators=[Optional(), Length(max=500)],
                       description="Separate tags with commas.")
    difficulty = SelectField("Difficulty", default="medium",
                             choices=options((name, name.capitalize()) for name in DIFFICULTY_BANDS))
    passage = SelectField("Cited passage", coerce=int, default=0, validate_choice=True,
                          description="The passage of a reading that proves the answer.")
    preview = SubmitField("Preview")
    save = SubmitField("Save")
    save_approve = SubmitField("Save and approve")

    def __init__(self, *args, passages=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.passage.choices = options(passages or [(0, "No citation")])
        self.group_errors: dict[str, list[str]] = {}
        for name, minimum in MIN_ENTRIES.items():
            field = getattr(self, name)
            while len(field.entries) < minimum:
                field.append_entry()

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.qtype.data or "", "Question")

    # ---- reading the filled rows

    def filled_choices(self) -> list[tuple[str, bool]]:
        return [(entry.form.text.data or "", bool(entry.form.correct.data)) for entry in self.choices
                if (entry.form.text.data or "").strip() or entry.form.correct.data]

    def filled_pairs(self) -> list[tuple[str, str]]:
        return [(entry.form.term.data or "", entry.form.match.data or "") for entry in self.pairs
                if (entry.form.term.data or "").strip() or (entry.form.match.data or "").strip()]

    def filled_items(self) -> list[str]:
        return [entry.data for entry in self.items if entry.data and entry.data.strip()]

    def other_accepted(self) -> list[str]:
        lines = [line.strip() for line in (self.accepted.data or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line and line != self.answer.data))

    # ---- validation

    def _group_error(self, group: str, message: str) -> None:
        self.group_errors.setdefault(group, []).append(message)

    def validate(self, extra_validators=None) -> bool:
        """The field validators, then the rules of the question's type."""
        valid = super().validate(extra_validators)
        rules = getattr(self, f"_check_{self.qtype.data}", None)
        if rules is not None:
            rules()
        return valid and not self.group_errors and not any(
            field.errors for field in (self.stem, self.answer, self.truth, self.tolerance))

    def _need_answer(self, message: str = "Give the answer.") -> None:
        if not self.answer.data:
            self.answer.errors.append(message)

    def _no_arrow(self, field, text: str) -> None:
        if "->" in text:
            field.errors.append("Cannot contain “->”: Moodle reads it as a pair separator.")

    def _check_multiple_choice(self) -> None:
        choices = self.filled_choices()
        texts = [text for text, _ in choices]
        if any(correct and not text for text, correct in choices):
            self._group_error("choices", "A choice marked correct has no text.")
        if len([t for t in texts if t]) < 2:
            self._group_error("choices", "Give at least two choices.")
        seen: set[str] = set()
        for text in texts:
            if text and text.casefold() in seen:
                self._group_error("choices", f"Each choice must be different: “{text}” appears twice.")
                break
            seen.add(text.casefold())
        correct = [text for text, is_correct in choices if is_correct and text]
        if not correct:
            self._group_error("choices", "Mark the correct choice.")
        elif len(correct) > 1:
            self._group_error("choices", "Mark exactly one choice as correct: Debrief has no "
                                         "multiple-answer questions.")

    def _check_true_false(self) -> None:
        if self.truth.data not in ("true", "false"):
            self.truth.errors.append("Choose whether the statement is true or false.")

    def _check_cloze(self) -> None:
        blanks = len(BLANKS.findall(self.stem.data or ""))
        if blanks != 1:
            found = "none" if not blanks else f"{blanks}"
            self.stem.errors.append(f"A cloze question needs exactly one blank, written as _____ "
                                    f"(five underscores); found {found}.")
        self._need_answer("Give the word or phrase that fills the blank.")

    def _check_numeric(self) -> None:
        if not self.answer.data:
            self.answer.errors.append("Give the answer as a number.")
        elif parse_number(self.answer.data) is None:
            self.answer.errors.append("Write the answer as a plain number, such as 2000 or 3.5, "
                                      "without commas or units (the unit has its own box).")
        if self.tolerance.data:
            tolerance = parse_number(self.tolerance.data)
            if tolerance is None or tolerance < 0:
                self.tolerance.errors.append("Write the tolerance as a number of 0 or more, such as 0.5.")

    def _check_matching(self) -> None:
        pairs = self.filled_pairs()
        if any(not term.strip() or not match.strip() for term, match in pairs):
            self._group_error("pairs", "Every pair needs both a term and what it matches.")
        if len(pairs) < 2:
            self._group_error("pairs", "Give at least two pairs.")
        for index in (0, 1):
            values = [pair[index].casefold() for pair in pairs if pair[index].strip()]
            if len(values) != len(set(values)):
                which = "term" if index == 0 else "match"
                self._group_error("pairs", f"Each {which} must be different.")
        if any("->" in term or "->" in match for term, match in pairs):
            self._group_error("pairs", "Pairs cannot contain “->”: Moodle reads it as a pair separator.")

    def _check_ordering(self) -> None:
        items = self.filled_items()
        if len(items) < 2:
            self._group_error("items", "Give at least two items, in the right order.")
        if len({item.casefold() for item in items}) != len(items):
            self._group_error("items", "Each item must be different.")

    def _check_short_answer(self) -> None:
        self._need_answer()
        self._no_arrow(self.answer, self.answer.data or "")
        for line in self.other_accepted():
            if "->" in line:
                self.accepted.errors.append("Cannot contain “->”: Moodle reads it as a pair separator.")
                break

    # ---- to and from plain questions

    def difficulty_value(self, current: float | None = None) -> float:
        """The chosen band's value, or ``current`` when it still falls in the chosen band."""
        band = self.difficulty.data if self.difficulty.data in DIFFICULTY_BANDS else "medium"
        if current is not None and difficulty_band(current) == band:
            return current
        return DIFFICULTY_BANDS[band][2]

    def to_plain(self, current_difficulty: float | None = None, title: str = "",
                 feedback: dict | None = None) -> PlainQuestion:
        """The question as the form describes it (call after ``validate``)."""
        qtype = self.qtype.data
        stem = self.stem.data or ""
        answer = self.answer.data or ""
        fields = {"choices": [], "accepted": [], "pairs": [], "items": [], "tolerance": 0.0, "unit": ""}
        if qtype == "multiple_choice":
            fields["choices"] = [text for text, _ in self.filled_choices()]
            answer = next(text for text, correct in self.filled_choices() if correct)
        elif qtype == "true_false":
            answer = self.truth.data
        elif qtype == "cloze":
            stem = BLANKS.sub(BLANK, stem)
            fields["accepted"] = [answer, *self.other_accepted()]
        elif qtype == "short_answer":
            fields["accepted"] = [answer, *self.other_accepted()]
        elif qtype == "numeric":
            answer = format_number(parse_number(answer))
            fields["tolerance"] = parse_number(self.tolerance.data or "0") or 0.0
            fields["unit"] = self.number_unit.data or ""
        elif qtype == "matching":
            fields["pairs"] = [(term, match) for term, match in self.filled_pairs()]
            answer = ""
        elif qtype == "ordering":
            fields["items"] = self.filled_items()
            answer = ""
        tags = [tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()]
        kept_feedback = {key: note for key, note in (feedback or {}).items()
                         if key in fields["choices"] or key in ("true", "false", "*", answer)}
        return PlainQuestion(type=qtype, stem=stem, answer=answer, explanation=self.explanation.data or "",
                             tags=tags, difficulty=self.difficulty_value(current_difficulty), title=title,
                             feedback=kept_feedback, **fields)


def question_form_data(plain: PlainQuestion, passage_id: int) -> dict:
    """The editor's starting values for an existing question."""
    data = {
        "qtype": plain.type, "stem": plain.stem, "answer": plain.answer, "explanation": plain.explanation,
        "tags": ", ".join(plain.tags), "difficulty": difficulty_band(plain.difficulty),
        "passage": passage_id, "number_unit": plain.unit,
        "tolerance": format_number(plain.tolerance) if plain.tolerance else "",
        "accepted": "\n".join(a for a in plain.accepted if a != plain.answer),
        "choices": [{"text": choice, "correct": choice == plain.answer} for choice in plain.choices],
        "pairs": [{"term": term, "match": match} for term, match in plain.pairs],
        "items": list(plain.items),
    }
    if plain.type == "true_false":
        data["truth"], data["answer"] = plain.answer, ""
    if plain.type in ("multiple_choice", "matching", "ordering"):
        data["answer"] = ""
    return data


LAYOUT_ACTION = re.compile(r"^(add|remove|up|down)-(choices|pairs|items)(?:-(\d+))?$")


def apply_layout(formdata: MultiDict, action: str) -> MultiDict:
    """The editor's rows after an add, remove or move button (``up-choices-2``), without JavaScript.

    The rows are read from the submitted data, changed, and numbered again from 0.
    """
    match = LAYOUT_ACTION.match(action or "")
    if match is None:
        return formdata
    verb, group, position = match.group(1), match.group(2), int(match.group(3) or 0)
    subfields = ENTRY_FIELDS[group]
    pattern = re.compile(rf"^{group}-(\d+)(?:-(\w+))?$")
    rows: dict[int, dict[str, str]] = {}
    kept = MultiDict()
    for key, value in formdata.items(multi=True):
        found = pattern.match(key)
        if found is None:
            if key != "layout":
                kept.add(key, value)
            continue
        rows.setdefault(int(found.group(1)), {})[found.group(2) or ""] = value
    ordered = [rows[index] for index in sorted(rows)]
    if verb == "add" and len(ordered) < MAX_ENTRIES:
        ordered.append({})
    elif verb == "remove" and 0 <= position < len(ordered):
        ordered.pop(position)
    elif verb == "up" and 0 < position < len(ordered):
        ordered[position - 1], ordered[position] = ordered[position], ordered[position - 1]
    elif verb == "down" and 0 <= position < len(ordered) - 1:
        ordered[position + 1], ordered[position] = ordered[position], ordered[position + 1]
    for index, row in enumerate(ordered):
        if subfields is None:
            kept.add(f"{group}-{index}", row.get("", ""))
            continue
        for name in subfields:
            if name in row:
                kept.add(f"{group}-{index}-{name}", row[name])
        if not any(name in row for name in subfields):
            kept.add(f"{group}-{index}-{subfields[0]}", "")
    return kept


class CopyQuestionForm(FlaskForm):
    """Copy a question into one of the teacher's units."""

    unit = SelectField("Copy into", coerce=int)

    def set_units(self, units) -> None:
        """Offer the teacher's own units, then a new one."""
        self.unit.choices = options([(u.id, u.title) for u in units] + [(0, "A new unit, “My questions”")])


# --------------------------------------------------------------------------- browsing, import, export


class FilterForm(FlaskForm):
    """The bank browser's filters (a GET form: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    q = SearchField("Search", filters=[_strip], validators=[Optional(), Length(max=200)],
                    description="Words in the question, answer or explanation.")
    unit = SelectField("Unit", validate_choice=False)
    source = SelectField("Reading", validate_choice=False)
    type = SelectField("Type", validate_choice=False)
    tag = SelectField("Tag", validate_choice=False)
    difficulty = SelectField("Difficulty", validate_choice=False)
    status = SelectField("Status", validate_choice=False)


class BulkReviewForm(FlaskForm):
    """Approve or reject every draft a filter shows; the filter rides along in hidden fields."""

    source = HiddenField()
    type = HiddenField()
    tag = HiddenField()
    difficulty = HiddenField()
    q = HiddenField()
    approve = SubmitField("Approve all")
    reject = SubmitField("Reject all")


class ImportForm(FlaskForm):
    """Upload a GIFT, Aiken or Debrief JSON file into a unit."""

    file = FileField("Question file", validators=[FileRequired(message="Choose a file to import.")],
                     description="Moodle GIFT (.gift or .txt), Aiken (.txt) or Debrief JSON (.json).")
    format = SelectField("Format", default="", choices=options([("", "Recognise it from the file")] + [
        (name, entry.label) for name, entry in FORMATS.items()]))


class ReviewForm(FlaskForm):
    """One review button (approve, reject, retire, restore), with the page to go back to."""

    next = HiddenField()
