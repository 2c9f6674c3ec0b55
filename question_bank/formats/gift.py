"""Moodle GIFT: read and write question banks as GIFT text.

Reading follows Moodle's GIFT importer, with these Debrief choices:

* Questions are separated by blank lines; a line whose first non-blank characters are ``//`` is
  a comment and is dropped wherever it appears. ``\\~ \\= \\# \\{ \\} \\: \\\\`` stand for the
  literal character and ``\\n`` for a line break.
* ``::title::`` becomes ``Question.title``. A leading ``[html]``, ``[markdown]``, ``[plain]`` or
  ``[moodle]`` marker is removed; HTML is turned into its plain text, the others are kept as
  written. Answers and feedback inherit the question's marker unless they carry their own.
* ``$CATEGORY: a/b`` tags every following question with the single tag ``a/b`` (the path is kept
  whole, not split) until the next ``$CATEGORY``.
* ``####text`` before the closing brace is the general feedback, stored as ``explanation``.
* Answer blocks map to types: ``{}`` essay; ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` true/false
  (``{T#wrong#right}`` feedback lands on ``feedback["false"]`` and ``feedback["true"]``);
  ``{=a ~b}`` multiple choice; ``{=a =b}`` short answer (answer ``a``, accepted ``[a, b]``);
  ``{#n}``, ``{#n:tol}``, ``{#lo..hi}`` numeric; ``{=a -> b}`` matching.
* When text follows the closing brace the block is a missing word: the stem gets ``_____`` where
  the braces were. A short-answer-shaped missing word is a Debrief ``cloze``; one with ``~``
  choices stays ``multiple_choice`` with the blank in its stem.
* Partial credit: a multiple-choice ``~%50%choice`` stays a wrong choice (the weight is dropped)
  and ``~%100%choice`` counts as the answer. A question with no single full-credit choice is
  rejected, as Debrief has no multiple-answer type. Short answers accept ``=%100%`` answers and
  keep ``=%0%`` ones only as feedback for that response; other weights are rejected. Numeric
  blocks with several answers keep the first full-credit one and drop the rest, and ``~#text``
  after a numeric answer is the feedback for any other response (``feedback["*"]``).
* Anything Debrief cannot hold is an error, never a silent loss: description items (no answer
  block), two answer blocks, multiple-answer choices, matching distractors (an empty term).

Writing emits every Debrief type; what GIFT lacks is carried in comment lines that Moodle
ignores and this reader restores:

* ``// debrief:ordering`` before a matching block ``{=1 -> first =2 -> second}`` restores an
  ``ordering`` question with ``items`` in that order.
* ``// debrief:cloze`` marks a cloze whose blank cannot be written in place (none, several, or
  one at the very end of the stem); the block then follows the stem as written.
* ``// debrief:unit "km"`` and ``// debrief:tags ["a", "b"]`` (JSON values) carry ``unit`` and
  any tags a ``$CATEGORY`` line cannot (more than one, or none after a category).
* ``// source: document | start-end | title`` carries the citation; its passage text is not
  written, so it comes back empty.

Not carried by GIFT: ``difficulty``, ``confidence``, ``id`` (recomputed from the content),
``source.passage``, an essay's ``answer``, ``choices`` of a true/false question, and feedback
that has no place in GIFT (matching, ordering, essay, or keys that are not a choice). Stems and
answers are trimmed. A matching term containing ``->`` and a short answer containing ``->``
cannot be written and raise :class:`FormatError`.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

from question_bank.formats.errors import FormatError
from question_bank.model import Citation, Question

BLANK = "_____"
TEXT_FORMATS = ("html", "markdown", "plain", "moodle")

# Escaped characters become private-use code points while parsing, so that a plain str.find
# never mistakes them for syntax, and each keeps a length of one so offsets map to lines.
_ESCAPABLE = "\\~=#{}:"
_PLACEHOLDER = {c: chr(0xE000 + ord(c)) for c in _ESCAPABLE}
_NEWLINE_PLACEHOLDER = chr(0xE000 + ord("\n"))
_RESTORE = {ord(p): c for c, p in _PLACEHOLDER.items()} | {ord(_NEWLINE_PLACEHOLDER): "\n"}

_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMAT_MARKER = re.compile(r"\[(" + "|".join(TEXT_FORMATS) + r")\]")
_DIRECTIVE = re.compile(r"//\s*debrief:([A-Za-z_-]+)\s*(.*)")
_SOURCE = re.compile(
    r"//\s*source:\s*(?P<document>.+?)\s*\|\s*(?P<start>\d+)\s*-\s*(?P<end>\d+)"
    r"\s*(?:\|\s*(?P<title>.*?))?\s*"
)
_TRUE_FALSE = {"T": "true", "TRUE": "true", "F": "false", "FALSE": "false"}


# --------------------------------------------------------------------------- reading


@dataclass
class _Directives:
    """What the comment lines before (or inside) one question asked for."""

    kind: str = ""
    kind_line: int = 0
    unit: str | None = None
    tags: list[str] | None = None
    source: Citation | None = None
    lines: list[int] = field(default_factory=list)


class _Text:
    """One question's text with escapes protected and a map from offsets back to file lines."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in lines]
        protected = [_protect(text) for _, text in lines]
        self.starts: list[int] = []
        offset = 0
        for text in protected:
            self.starts.append(offset)
            offset += len(text) + 1
        self.value = "\n".join(protected)

    def line(self, offset: int) -> int:
        """The file line holding the character at ``offset``."""
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    @property
    def last_line(self) -> int:
        return self.numbers[-1]


def _protect(line: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            nxt = line[i + 1]
            if nxt in _PLACEHOLDER:
                out.append(_PLACEHOLDER[nxt])
                i += 2
                continue
            if nxt == "n":
                out.append(_NEWLINE_PLACEHOLDER)
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


class _HTMLText(HTMLParser):
    """Collects the visible text of an HTML fragment, with line breaks for block elements."""

    BLOCKS = frozenset({"p", "div", "li", "tr", "ul", "ol", "table", "blockquote", "pre",
                        "h1", "h2", "h3", "h4", "h5", "h6"})
    HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "br" or tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The plain text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _split_marker(text: str, default: str) -> tuple[str, str]:
    """Remove a leading ``[format]`` marker; return (format, rest)."""
    stripped = text.lstrip()
    match = _FORMAT_MARKER.match(stripped)
    if match:
        return match.group(1), stripped[match.end():]
    return default, text


def _finish(text: str, fmt: str, *, own_marker: bool = True) -> str:
    """Protected GIFT text to the final plain string: own marker, HTML, escapes, trimming."""
    if own_marker:
        fmt, text = _split_marker(text, fmt)
    if fmt == "html":
        text = html_to_text(text)
    return text.translate(_RESTORE).strip()


def _number(token: str) -> float | None:
    token = token.strip()
    if not _NUMBER.fullmatch(token):
        return None
    value = float(token)
    return value if math.isfinite(value) else None


def format_number(value: float) -> str:
    """A number as short text: ``3`` rather than ``3.0``, otherwise Python's shortest repr."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


class _Reader:
    """Parses one GIFT file; keeps the current category between questions."""

    def __init__(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        self.category: str | None = None

    def read(self) -> list[Question]:
        questions: list[Question] = []
        for block in self._blocks():
            question = self._block(block)
            if question is not None:
                questions.append(question)
        return questions

    def _blocks(self) -> list[list[tuple[int, str]]]:
        blocks: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        for number, line in enumerate(self.lines, start=1):
            if line.strip():
                current.append((number, line))
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        return blocks

    def _block(self, block: list[tuple[int, str]]) -> Question | None:
        directives = _Directives()
        body: list[tuple[int, str]] = []
        for number, line in block:
            stripped = line.strip()
            if stripped.startswith("//"):
                _read_comment(number, stripped, directives)
            else:
                body.append((number, line))
        if body and body[0][1].lstrip().startswith("$CATEGORY:"):
            self.category = body[0][1].lstrip()[len("$CATEGORY:"):].strip() or None
            body = body[1:]
        for number, line in body[1:]:
            if line.lstrip().startswith("$CATEGORY:"):
                raise FormatError("expected a blank line before '$CATEGORY:' (it cannot sit "
                                  "inside a question)", line=number, expected="a blank line")
        if not body:
            if directives.lines:
                raise FormatError(
                    "expected a question after this '// debrief:' comment, in the same "
                    "paragraph (no blank line between them)",
                    line=directives.lines[0], expected="a question")
            return None
        return self._question(_Text(body), directives)

    def _question(self, text: _Text, directives: _Directives) -> Question:
        value = text.value
        start = len(value) - len(value.lstrip())
        first_line = text.line(start)
        title = ""
        if value.startswith("::", start):
            close = value.find("::", start + 2)
            if close < 0:
                raise FormatError(
                    f"expected '::' to close the question title opened on line {first_line}",
                    line=text.last_line, expected="'::'")
            title = _finish(value[start + 2:close], "moodle")
            start = close + 2

        opening = value.find("{", start)
        closing = value.find("}", start)
        if opening < 0 and closing < 0:
            raise FormatError(
                "expected an answer block in braces, like {=answer}, after the question text "
                "(GIFT descriptions without one are not questions)",
                line=text.last_line, expected="'{'")
        if closing >= 0 and (opening < 0 or closing < opening):
            raise FormatError(
                "stray '}' with no answer block open (write \\} for a literal brace)",
                line=text.line(closing), expected="'{' before '}'")
        opened_on = text.line(opening)
        if closing < 0:
            raise FormatError(
                f"expected '}}' to close the answer block opened on line {opened_on}",
                line=text.last_line, expected="'}'")
        nested = value.find("{", opening + 1, closing)
        if nested >= 0:
            raise FormatError(
                f"expected '}}' to close the answer block opened on line {opened_on} before "
                "another '{' (write \\{ for a literal brace)",
                line=text.line(nested), expected="'}'")
        after = value[closing + 1:]
        for char, problem in (("{", "a second answer block"), ("}", "a stray '}'")):
            extra = after.find(char)
            if extra >= 0:
                raise FormatError(
                    f"expected one answer block per question, found {problem} (separate "
                    f"questions with a blank line; write \\{char} for a literal brace)",
                    line=text.line(closing + 1 + extra), expected="a blank line")

        fmt, before = _split_marker(value[start:opening], "moodle")
        blanked = bool(after.strip())
        stem = _finish(before + BLANK + after if blanked else before, fmt, own_marker=False)
        if not stem:
            raise FormatError("expected question text before the answer block",
                              line=opened_on, expected="question text")

        inside = value[opening + 1:closing]
        explanation = ""
        general = inside.rfind("####")
        if general >= 0:
            explanation = _finish(inside[general + 4:], fmt)
            inside = inside[:general]
        block = _Block(text, inside, opening + 1, fmt, opened_on)

        fields = block.parse(directives, blanked)
        fields.update(stem=stem, title=title, explanation=explanation)
        if directives.unit is not None:
            fields["unit"] = directives.unit
        if directives.tags is not None:
            fields["tags"] = list(directives.tags)
        else:
            fields["tags"] = [self.category] if self.category else []
        fields["source"] = directives.source
        return Question(**fields)


def _read_comment(number: int, comment: str, directives: _Directives) -> None:
    """Note a Debrief comment directive; any other comment is ignored, as in Moodle."""
    source = _SOURCE.fullmatch(comment)
    if source:
        start, end = int(source["start"]), int(source["end"])
        if end < start:
            raise FormatError(f"expected the source span to end after it starts ({start}-{end})",
                              line=number, expected="start-end")
        directives.source = Citation(document=source["document"], title=source["title"] or "",
                                     passage="", start=start, end=end)
        return
    match = _DIRECTIVE.fullmatch(comment)
    if not match:
        return
    name, raw = match.group(1), match.group(2).strip()
    directives.lines.append(number)
    if name in ("ordering", "cloze"):
        if raw:
            raise FormatError(f"expected nothing after '// debrief:{name}'", line=number,
                              expected="end of line")
        directives.kind, directives.kind_line = name, number
        return
    if name not in ("unit", "tags"):
        raise FormatError(
            f"unknown directive '// debrief:{name}' (known: ordering, cloze, unit, tags)",
            line=number, expected="a known directive")
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if name == "unit" and isinstance(parsed, str):
        directives.unit = parsed
    elif name == "tags" and isinstance(parsed, list) and all(isinstance(t, str) for t in parsed):
        directives.tags = parsed
    else:
        shape = 'a JSON string, like "km"' if name == "unit" else 'a JSON list, like ["a", "b"]'
        raise FormatError(f"expected {shape} after '// debrief:{name}'", line=number,
                          expected=shape)


class _Block:
    """The inside of one answer block (general feedback already removed)."""

    def __init__(self, text: _Text, inside: str, offset: int, fmt: str, opened_on: int) -> None:
        self.text = text
        lead = len(inside) - len(inside.lstrip())
        self.body = inside.strip()
        self.offset = offset + lead
        self.fmt = fmt
        self.opened_on = opened_on

    def error(self, message: str, offset: int | None = None, expected: str = "") -> FormatError:
        line = self.opened_on if offset is None else self.text.line(offset)
        return FormatError(message, line=line, expected=expected)

    def parse(self, directives: _Directives, blanked: bool) -> dict:
        body = self.body
        if not body:
            kind = "essay"
        elif body.startswith("#"):
            kind = "numeric"
        elif "~" in body:
            kind = "multiple_choice"
        elif "=" in body and "->" in body:
            kind = "matching"
        elif body.partition("#")[0].strip().upper() in _TRUE_FALSE:
            kind = "true_false"
        else:
            kind = "short_answer"

        wanted = directives.kind
        if wanted == "ordering" and kind != "matching":
            raise FormatError("expected a matching block like {=1 -> first =2 -> second} after "
                              "'// debrief:ordering'", line=directives.kind_line,
                              expected="a matching block")
        if wanted == "cloze" and kind != "short_answer":
            raise FormatError("expected a block of '=' answers after '// debrief:cloze'",
                              line=directives.kind_line, expected="'=' answers")

        if kind == "essay":
            return {"type": "essay"}
        if kind == "numeric":
            return self.numeric()
        if kind == "multiple_choice":
            return self.multiple_choice()
        if kind == "matching":
            pairs = self.matching()
            if wanted == "ordering":
                return self.ordering(pairs)
            return {"type": "matching", "pairs": pairs}
        if kind == "true_false":
            return self.true_false()
        fields = self.short_answer()
        fields["type"] = "cloze" if (blanked or wanted == "cloze") else "short_answer"
        return fields

    def segments(self, body: str, offset: int, markers: str, what: str
                 ) -> list[tuple[str, str, int]]:
        """Split on answer markers; each item is (marker, text after it, offset of marker)."""
        found: list[tuple[str, str, int]] = []
        current, begin = "", 0
        for index, char in enumerate(body):
            if char in markers:
                found.append((current, body[begin:index], offset + max(begin - 1, 0)))
                current, begin = char, index + 1
        found.append((current, body[begin:], offset + max(begin - 1, 0)))
        lead = found.pop(0)
        if lead[1].strip():
            wanted = " or ".join(f"'{m}'" for m in markers)
            raise self.error(f"expected {wanted} before {what} '{_finish(lead[1], self.fmt)}'",
                             offset, expected=wanted)
        return found

    def weight(self, segment: str, offset: int) -> tuple[float | None, str]:
        match = _WEIGHT.match(segment)
        if not match:
            return None, segment
        value = float(match.group(1))
        if not -100 <= value <= 100:
            raise self.error(f"expected a weight between -100% and 100%, found {value:g}%",
                             offset, expected="a weight from -100 to 100")
        return value, segment[match.end():]

    def answer_text(self, segment: str, offset: int, marker: str) -> tuple[str, str]:
        text, _, feedback = segment.partition("#")
        text = _finish(text, self.fmt)
        if not text:
            raise self.error(f"expected answer text after '{marker}'", offset,
                             expected="answer text")
        return text, _finish(feedback, self.fmt)

    def multiple_choice(self) -> dict:
        choices: list[str] = []
        feedback: dict[str, str] = {}
        correct: list[str] = []
        partial = False
        for marker, segment, offset in self.segments(self.body, self.offset, "~=", "choice"):
            weight, segment = self.weight(segment, offset)
            if marker == "=" and weight is not None and weight != 100:
                raise self.error("'=' marks the full-credit choice; write partial credit as "
                                 f"'~%{weight:g}%'", offset, expected="'~%n%'")
            text, note = self.answer_text(segment, offset, marker)
            choices.append(text)
            if note:
                feedback[text] = note
            if (marker == "=" and weight is None) or weight == 100:
                correct.append(text)
            elif weight is not None and weight > 0:
                partial = True
        if len(choices) < 2:
            raise self.error("expected at least two choices", expected="another choice")
        if not correct:
            if partial:
                raise self.error(
                    "no choice carries full credit (=answer or ~%100%answer); Debrief has no "
                    "multiple-answer type, so exactly one choice must be right",
                    expected="one full-credit choice")
            raise self.error("expected one choice marked '=' as the right answer",
                             expected="'='")
        if len(correct) > 1:
            raise self.error(
                f"expected exactly one full-credit choice, found {len(correct)}; Debrief has no "
                "multiple-answer type", expected="one full-credit choice")
        return {"type": "multiple_choice", "answer": correct[0], "choices": choices,
                "feedback": feedback}

    def short_answer(self) -> dict:
        accepted: list[str] = []
        feedback: dict[str, str] = {}
        for marker, segment, offset in self.segments(self.body, self.offset, "=", "answer"):
            weight, segment = self.weight(segment, offset)
            text, note = self.answer_text(segment, offset, marker)
            if weight is None or weight == 100:
                if text not in accepted:
                    accepted.append(text)
            elif weight > 0:
                raise self.error(
                    f"partial credit ({weight:g}%) on a short answer has no Debrief equivalent; "
                    "use =%100% for an accepted answer or =%0% for a wrong one with feedback",
                    offset, expected="=%100% or =%0%")
            if note:
                feedback[text] = note
        if not accepted:
            raise self.error("expected at least one full-credit answer", expected="'=answer'")
        return {"answer": accepted[0], "accepted": accepted, "feedback": feedback}

    def true_false(self) -> dict:
        value, wrong, right = (self.body.split("#", 2) + ["", ""])[:3]
        answer = _TRUE_FALSE[value.strip().upper()]
        other = "false" if answer == "true" else "true"
        feedback = {}
        if _finish(right, self.fmt):
            feedback[answer] = _finish(right, self.fmt)
        if _finish(wrong, self.fmt):
            feedback[other] = _finish(wrong, self.fmt)
        return {"type": "true_false", "answer": answer, "feedback": feedback}

    def matching(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for number, (_, segment, offset) in enumerate(
                self.segments(self.body, self.offset, "=", "pair"), start=1):
            if "->" not in segment:
                raise self.error(f"expected '->' between the term and its match in pair {number}",
                                 offset, expected="'->'")
            term, _, match = segment.partition("->")
            term, match = _finish(term, self.fmt), _finish(match, self.fmt)
            if not term:
                raise self.error(
                    f"pair {number} has an empty term (a Moodle distractor); Debrief matching "
                    "has no distractors", offset, expected="a term before '->'")
            if not match:
                raise self.error(f"expected the match after '->' in pair {number}", offset,
                                 expected="text after '->'")
            pairs.append((term, match))
        return pairs

    def ordering(self, pairs: list[tuple[str, str]]) -> dict:
        positions = [term for term, _ in pairs]
        if positions != [str(n) for n in range(1, len(pairs) + 1)]:
            raise self.error("expected the ordering positions 1, 2, 3... in order on the left "
                             f"of '->', found {', '.join(positions)}", expected="1, 2, 3...")
        return {"type": "ordering", "items": [item for _, item in pairs]}

    def numeric(self) -> dict:
        body, offset = self.body[1:], self.offset + 1
        feedback: dict[str, str] = {}
        tilde = body.find("~")
        if tilde >= 0:
            rest, _, note = body[tilde + 1:].partition("#")
            if rest.strip():
                raise self.error("expected '#feedback' after '~' in a numeric block (it gives "
                                 "the feedback for any other answer)", offset + tilde,
                                 expected="'#'")
            if _finish(note, self.fmt):
                feedback["*"] = _finish(note, self.fmt)
            body = body[:tilde]
        if "=" in body:
            found = self.segments(body, offset, "=", "numeric answer")
        else:
            found = [("", body, offset)]
        chosen: tuple[str, float, str] | None = None
        for _, segment, at in found:
            weight, segment = self.weight(segment, at)
            value, _, note = segment.partition("#")
            answer, tolerance = self.number(value, at)
            if chosen is None and (weight is None or weight == 100):
                chosen = (answer, tolerance, _finish(note, self.fmt))
        if chosen is None:
            raise self.error("expected a full-credit numeric answer (=%100% or no weight)",
                             expected="a full-credit answer")
        answer, tolerance, note = chosen
        if note:
            feedback[answer] = note
        return {"type": "numeric", "answer": answer, "tolerance": tolerance,
                "feedback": feedback}

    def number(self, value: str, offset: int) -> tuple[str, float]:
        value = value.translate(_RESTORE).strip()
        shape = "a number like 3, 3:0.5 (with tolerance) or 1..5 (a range)"
        if ".." in value:
            low_text, _, high_text = value.partition("..")
            low, high = _number(low_text), _number(high_text)
            if low is None or high is None:
                raise self.error(f"expected {shape}, found '{value}'", offset, expected=shape)
            if low > high:
                raise self.error(f"expected the range to run from low to high, found '{value}'",
                                 offset, expected="low..high")
            return format_number((low + high) / 2), (high - low) / 2
        answer_text, _, tolerance_text = value.partition(":")
        answer = _number(answer_text)
        tolerance = _number(tolerance_text) if tolerance_text.strip() else 0.0
        if answer is None or tolerance is None or ":" in value and not tolerance_text.strip():
            raise self.error(f"expected {shape}, found '{value}'", offset, expected=shape)
        if tolerance < 0:
            raise self.error(f"expected a tolerance of zero or more, found '{tolerance_text}'",
                             offset, expected="a tolerance >= 0")
        return answer_text.strip(), tolerance


def load(text: str) -> list[Question]:
    """Read every question of a GIFT file; raise FormatError (with its line) on the first fault."""
    return _Reader(text).read()


# --------------------------------------------------------------------------- writing


def escape(text: str) -> str:
    """GIFT-escape free text: the special characters get a backslash, line breaks become \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char in _ESCAPABLE:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _text(text: str, *, stem: bool = False, strip: bool = True) -> str:
    """Escape, and shield text that the reader would otherwise take for syntax."""
    escaped = escape(text.strip() if strip else text)
    risky = bool(_FORMAT_MARKER.match(escaped))
    if stem:
        risky = risky or escaped.startswith(("//", "$CATEGORY:"))
    return "[plain]" + escaped if risky else escaped


def _answer(text: str, marker: str, weight: str | None = None) -> str:
    """One answer with its marker; an explicit weight shields text that starts like one."""
    escaped = _text(text)
    if weight is None and _WEIGHT.match(escaped):
        weight = "100" if marker == "=" else "0"
    return marker + (f"%{weight}%" if weight is not None else "") + escaped


def _with_feedback(answer: str, feedback: str) -> str:
    return answer + ("#" + _text(feedback) if feedback else "")


class _Writer:
    """Writes questions one by one, tracking the category currently in force."""

    def __init__(self) -> None:
        self.category: str | None = None
        self.parts: list[str] = []

    def write(self, questions: list[Question]) -> str:
        count = len(questions)
        self.parts.append(f"// Debrief question export: {count} question"
                          f"{'' if count == 1 else 's'}\n")
        for index, question in enumerate(questions):
            self.question(index, question)
        return "\n".join(self.parts)

    def question(self, index: int, question: Question) -> None:
        lines: list[str] = []
        tags = list(question.tags)
        first = tags[0] if tags else None
        if first is not None and _category_safe(first) and first != self.category:
            self.parts.append(f"$CATEGORY: {first}\n")
            self.category = first
        if tags != ([self.category] if self.category else []):
            lines.append("// debrief:tags " + json.dumps(tags, ensure_ascii=False))
        if question.source is not None:
            lines.append(_source_comment(question.source))
        if question.unit:
            lines.append("// debrief:unit " + json.dumps(question.unit, ensure_ascii=False))

        writer = getattr(self, question.type)
        prefix, block, suffix, marker = writer(index, question)
        if marker:
            lines.append(f"// debrief:{marker}")
        explanation = ("####" + _text(question.explanation)) if question.explanation else ""
        title = f"::{escape(question.title.strip())}::" if question.title.strip() else ""
        if len(block) <= 1:
            inner = "".join(block) + explanation
            lines.append(f"{title}{prefix}{{{inner}}}{suffix}")
        else:
            lines.append(f"{title}{prefix}{{")
            lines.extend("\t" + part for part in block)
            if explanation:
                lines.append("\t" + explanation)
            lines.append("}" + suffix)
        self.parts.append("\n".join(lines) + "\n")

    # Each type returns (text before the block, answer parts, text after it, directive).

    def multiple_choice(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        if q.answer not in q.choices:
            raise _write_error(index, q, f"its answer {q.answer!r} is not among its choices")
        if len(q.choices) < 2:
            raise _write_error(index, q, "it has fewer than two choices (GIFT would read it "
                                         "back as a short answer)")
        parts = []
        marked = False
        for choice in q.choices:
            right = choice == q.answer and not marked
            marked = marked or right
            parts.append(_with_feedback(_answer(choice, "=" if right else "~"),
                                        q.feedback.get(choice, "")))
        before, after = _split_blank(q.stem)
        if after is None:
            return _text(q.stem, stem=True) + " ", parts, "", ""
        return _inline(before, parts, after, "")

    def true_false(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        if q.answer not in ("true", "false"):
            raise _write_error(index, q, f"its answer is {q.answer!r}, not 'true' or 'false'")
        other = "false" if q.answer == "true" else "true"
        right, wrong = q.feedback.get(q.answer, ""), q.feedback.get(other, "")
        part = q.answer.upper()
        if wrong or right:
            part += "#" + _text(wrong)
        if right:
            part += "#" + _text(right)
        return _text(q.stem, stem=True) + " ", [part], "", ""

    def _accepted(self, index: int, q: Question) -> list[str]:
        if not q.answer.strip():
            raise _write_error(index, q, "it has no answer")
        accepted = [q.answer] + [a for a in q.accepted if a != q.answer and a.strip()]
        parts = [_with_feedback(_answer(a, "="), q.feedback.get(a, "")) for a in accepted]
        parts += [_with_feedback(_answer(key, "=", "0"), note)
                  for key, note in q.feedback.items()
                  if key.strip() and note and key not in accepted]
        if any("->" in part for part in parts):
            raise _write_error(index, q, "an answer or its feedback contains '->', which GIFT "
                                         "would read as a matching pair")
        return parts

    def short_answer(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        return _text(q.stem, stem=True) + " ", self._accepted(index, q), "", ""

    def cloze(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        parts = self._accepted(index, q)
        before, after = _split_blank(q.stem)
        if after is None:
            return _text(q.stem, stem=True) + " ", parts, "", "cloze"
        return _inline(before, parts, after, "")

    def numeric(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        if _number(q.answer) is None:
            raise _write_error(index, q, f"its answer {q.answer!r} is not a number")
        if not (math.isfinite(q.tolerance) and q.tolerance >= 0):
            raise _write_error(index, q, f"its tolerance {q.tolerance!r} is not zero or more")
        part = "#" + q.answer.strip()
        if q.tolerance:
            part += ":" + format_number(float(q.tolerance))
        part = _with_feedback(part, q.feedback.get(q.answer, ""))
        if q.feedback.get("*"):
            part += " ~#" + _text(q.feedback["*"])
        return _text(q.stem, stem=True) + " ", [part], "", ""

    def matching(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        if not q.pairs:
            raise _write_error(index, q, "it has no pairs")
        parts = []
        for term, match in q.pairs:
            if "->" in term:
                raise _write_error(index, q, f"the term {term!r} contains '->', which GIFT "
                                             "uses to separate a term from its match")
            if not term.strip() or not match.strip():
                raise _write_error(index, q, "one of its pairs has an empty side")
            parts.append(f"={_text(term)} -> {_text(match)}")
        return _text(q.stem, stem=True) + " ", parts, "", ""

    def ordering(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        if not q.items or not all(item.strip() for item in q.items):
            raise _write_error(index, q, "it has no items, or an empty one")
        parts = [f"={n} -> {_text(item)}" for n, item in enumerate(q.items, start=1)]
        return _text(q.stem, stem=True) + " ", parts, "", "ordering"

    def essay(self, index: int, q: Question) -> tuple[str, list[str], str, str]:
        return _text(q.stem, stem=True) + " ", [], "", ""


def _inline(before: str, parts: list[str], after: str, marker: str
            ) -> tuple[str, list[str], str, str]:
    """A missing-word layout: the block sits exactly where the blank was, spacing kept."""
    return _text(before.lstrip(), stem=True, strip=False), parts, escape(after.rstrip()), marker


def _split_blank(stem: str) -> tuple[str, str | None]:
    """Where a one-blank stem can hold its answer block in place: (before, after) or no after."""
    if stem.count(BLANK) != 1:
        return stem, None
    before, _, after = stem.partition(BLANK)
    if not after.strip():
        return stem, None
    return before, after


def _category_safe(tag: str) -> bool:
    return bool(tag.strip()) and tag == tag.strip() and "\n" not in tag and "\r" not in tag


def _source_comment(source: Citation) -> str:
    document = " ".join(source.document.split())
    title = " ".join(source.title.split())
    line = f"// source: {document} | {source.start}-{source.end}"
    return line + (f" | {title}" if title else "")


def _write_error(index: int, question: Question, problem: str) -> FormatError:
    return FormatError(f"questions[{index}] ({question.type}) cannot be written as GIFT: "
                       f"{problem}", path=f"questions[{index}]")


def dump(questions: list[Question]) -> str:
    """Write questions as GIFT text that Moodle imports and :func:`load` reads back."""
    return _Writer().write(list(questions))
