"""Prompt, assignment and live-debate workflows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import abort
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from question_bank.models import Passage, Source, SourceKind, Unit
from quiz import clock
from quiz.auth.models import User
from quiz.classes.models import Classroom, MemberRole, Membership
from quiz.classes.services import membership
from quiz.debates.models import (
    DEFAULT_ROUNDS,
    AssignmentKind,
    DebateParticipant,
    DebateSpeaker,
    DebateStatus,
    DebateVote,
    LiveDebate,
    Prompt,
    PromptAssignment,
    PromptEvidence,
    Side,
    SpeakerStatus,
    VotePhase,
    new_debate_code,
)
from quiz.extensions import db

MAX_ROUNDS = 8
MAX_ROUND_SECONDS = 60 * 60


class DebateError(Exception):
    """A prompt, assignment or debate action that cannot be done, with a message for the user."""


# --------------------------------------------------------------------------- prompts


def readable_prompts(user: User) -> list[Prompt]:
    """The prompts a teacher may use: shipped ones and their own, of units they can read."""
    query = (select(Prompt).join(Unit)
             .where(or_(Unit.owner_id.is_(None), Unit.owner_id == user.id))
             .where(or_(Prompt.owner_id.is_(None), Prompt.owner_id == user.id))
             .order_by(Unit.title, Prompt.owner_id.is_not(None), Prompt.id))
    return list(db.session.scalars(query))


def prompt_for(prompt_id: int, user: User, *, edit: bool = False) -> Prompt:
    """The prompt if the teacher may read it (404 otherwise; 403 to change a shipped prompt)."""
    prompt = db.get_or_404(Prompt, prompt_id)
    if not prompt.readable_by(user):
        abort(404)
    if edit and not prompt.editable_by(user):
        abort(403)
    return prompt


def citable_sources(unit: Unit) -> list[Source]:
    """The unit's texts students may cite: its readings first, then its study notes."""
    order = {SourceKind.READING: 0, SourceKind.NOTES: 1}
    return sorted((s for s in unit.sources if s.kind in order), key=lambda s: (order[s.kind], s.id))


def resolve_evidence(unit: Unit, source_ref: str, quote_hint: str) -> Passage | None:
    """The passage of the unit's reading (named by the unit's source id) that holds ``quote_hint``."""
    hint = " ".join(quote_hint.split())
    if not hint:
        return None
    files = {item.get("id"): item.get("file") for item in unit.source_list or []}
    names = [files[source_ref]] if files.get(source_ref) else []
    readings = [s for s in unit.sources
                if s.kind == SourceKind.READING and (not names or s.name in names)]
    for source in readings:
        for passage in source.passages:
            if hint in " ".join(passage.text.split()):
                return passage
    # Short lines such as bullet points are not passages: take the passage that leads into them.
    for source in readings:
        at = source.text.find(hint)
        before = [p for p in source.passages if p.start <= at]
        if at >= 0 and before:
            return before[-1]
    return None


def _set_evidence(prompt: Prompt, evidence: list[dict]) -> None:
    prompt.evidence = [
        PromptEvidence(position=i, source_ref=str(item.get("source", ""))[:40],
                       quote_hint=str(item.get("quote_hint", "")),
                       passage=resolve_evidence(prompt.unit, str(item.get("source", "")),
                                                str(item.get("quote_hint", ""))))
        for i, item in enumerate(evidence)]


def add_unit_prompts(unit: Unit) -> list[Prompt]:
    """Copy a shipped unit's prompts (``unit.prompts``) into prompt rows (the caller commits)."""
    prompts = []
    for item in unit.prompts or []:
        prompt = Prompt(unit=unit, owner_id=unit.owner_id, slug=str(item.get("id", ""))[:80],
                        title=str(item.get("title", ""))[:200], question=str(item.get("question", "")),
                        framing=str(item.get("framing", "")), positions=list(item.get("positions", [])),
                        tags=list(item.get("tags", [])))
        _set_evidence(prompt, list(item.get("evidence", [])))
        db.session.add(prompt)
        prompts.append(prompt)
    return prompts


def save_prompt(prompt: Prompt | None, owner: User, unit: Unit, *, title: str, question: str,
                framing: str, positions: list[dict], evidence: list[dict]) -> Prompt:
    """Create or change a teacher's own prompt."""
    if not unit.readable_by(owner):
        raise DebateError("Choose one of your units or a shipped unit.")
    if prompt is None:
        prompt = Prompt(owner=owner, unit=unit)
        db.session.add(prompt)
    elif not prompt.editable_by(owner):
        raise DebateError("Shipped prompts cannot be changed; copy the prompt to adapt it.")
    prompt.unit = unit
    prompt.title, prompt.question, prompt.framing = title, question, framing
    prompt.positions = positions
    _set_evidence(prompt, evidence)
    db.session.commit()
    return prompt


def copy_prompt(prompt: Prompt, owner: User) -> Prompt:
    """The teacher's own editable copy of a prompt."""
    copy = Prompt(owner=owner, unit=prompt.unit, slug=prompt.slug, title=f"{prompt.title} (copy)"[:200],
                  question=prompt.question, framing=prompt.framing, positions=list(prompt.positions),
                  tags=list(prompt.tags))
    copy.evidence = [PromptEvidence(position=e.position, source_ref=e.source_ref, quote_hint=e.quote_hint,
                                    passage_id=e.passage_id) for e in prompt.evidence]
    db.session.add(copy)
    db.session.commit()
    return copy


# --------------------------------------------------------------------------- assignments


def assignment_for(assignment_id: int, user: User, *, kind: str | None = None,
                   teacher: bool = False) -> PromptAssignment:
    """The assignment if ``user`` is in its class (404 otherwise, or for the wrong kind; 403 if a
    student asks for a teachers' page)."""
    assignment = db.get_or_404(PromptAssignment, assignment_id)
    if kind is not None and assignment.kind != kind:
        abort(404)
    member = membership(assignment.classroom, user)
    if member is None:
        abort(404)
    if teacher and member.role != MemberRole.TEACHER:
        abort(403)
    return assignment


def is_teacher_member(assignment: PromptAssignment, user: User) -> bool:
    """True for the teachers of the assignment's class."""
    member = membership(assignment.classroom, user)
    return member is not None and member.role == MemberRole.TEACHER


def class_assignments(classroom: Classroom) -> list[PromptAssignment]:
    """A class's prompt assignments, newest first."""
    return list(db.session.scalars(select(PromptAssignment)
                                   .where(PromptAssignment.classroom_id == classroom.id)
                                   .order_by(PromptAssignment.created_at.desc(), PromptAssignment.id.desc())))


def open_work_for(student: User) -> list[PromptAssignment]:
    """The discussions, essays and debates of a student's classes that are still open to them."""
    from quiz.essays.models import Essay

    query = (select(PromptAssignment)
             .join(Membership, Membership.classroom_id == PromptAssignment.classroom_id)
             .where(Membership.user_id == student.id, Membership.role == MemberRole.STUDENT)
             .order_by(PromptAssignment.created_at.desc(), PromptAssignment.id.desc()))
    work = []
    for assignment in db.session.scalars(query):
        if assignment.kind == AssignmentKind.DISCUSSION and assignment.locked:
            continue
        if assignment.kind == AssignmentKind.DEBATE and assignment.live \
                and assignment.live.status == DebateStatus.FINISHED:
            continue
        if assignment.kind == AssignmentKind.ESSAY and db.session.scalar(select(Essay.id).where(
                Essay.assignment_id == assignment.id, Essay.student_id == student.id,
                Essay.submitted_at.is_not(None))):
            continue
        work.append(assignment)
    return work


def assign_prompt(classroom: Classroom, teacher: User, prompt: Prompt, kind: str, *,
                  instructions: str = "", anonymous: bool = False, target_posts: int = 0,
                  target_cited_posts: int = 0, target_replies: int = 0, rubric=None,
                  min_words: int = 0, rounds: list[dict] | None = None,
                  students_choose_side: bool = True) -> PromptAssignment:
    """Set a prompt to a class as a discussion, an essay or a live debate."""
    if kind not in AssignmentKind.__members__.values():
        raise DebateError("Choose a discussion, an essay or a live debate.")
    if not prompt.readable_by(teacher):
        raise DebateError("Choose one of your prompts or a shipped one.")
    if rubric is not None and rubric.owner_id != teacher.id:
        raise DebateError("Choose one of your rubrics.")
    existing = db.session.scalar(select(PromptAssignment.id).where(
        PromptAssignment.classroom_id == classroom.id, PromptAssignment.prompt_id == prompt.id,
        PromptAssignment.kind == kind))
    if existing:
        raise DebateError(f"This class already has “{prompt.title}” as a {kind}.")
    assignment = PromptAssignment(
        classroom=classroom, prompt=prompt, kind=kind, instructions=instructions, created_by=teacher,
        anonymous=anonymous, target_posts=target_posts, target_cited_posts=target_cited_posts,
        target_replies=target_replies, rubric=rubric if kind == AssignmentKind.ESSAY else None,
        min_words=min_words, created_at=clock.now())
    if kind == AssignmentKind.DEBATE:
        assignment.live = LiveDebate(join_code=_unique_debate_code(),
                                     rounds=check_rounds(rounds or [dict(r) for r in DEFAULT_ROUNDS]),
                                     students_choose_side=students_choose_side)
    db.session.add(assignment)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same assignment made twice at once
        db.session.rollback()
        raise DebateError(f"This class already has “{prompt.title}” as a {kind}.") from error
    return assignment


def delete_assignment(assignment: PromptAssignment) -> None:
    """Remove an assignment with its posts, essays or debate."""
    db.session.delete(assignment)
    db.session.commit()


# --------------------------------------------------------------------------- live debates


def _unique_debate_code() -> str:
    while True:
        code = new_debate_code()
        if db.session.scalar(select(LiveDebate.id).where(LiveDebate.join_code == code)) is None:
            return code


def check_rounds(rounds: list[dict]) -> list[dict]:
    """Rounds with a name and a duration of 10 seconds to an hour each (DebateError otherwise)."""
    clean = []
    for item in rounds:
        name = str(item.get("name", "")).strip()[:60]
        try:
            seconds = int(item.get("seconds", 0))
        except (TypeError, ValueError):
            seconds = 0
        if not name and not seconds:
            continue
        if not name:
            raise DebateError("Give every round a name.")
        if not 10 <= seconds <= MAX_ROUND_SECONDS:
            raise DebateError(f"“{name}” must last between 10 seconds and 60 minutes.")
        clean.append({"name": name, "seconds": seconds})
    if not clean:
        raise DebateError("A debate needs at least one round.")
    if len(clean) > MAX_ROUNDS:
        raise DebateError(f"A debate has at most {MAX_ROUNDS} rounds.")
    return clean


def _touch(debate: LiveDebate) -> None:
    debate.version = (debate.version or 0) + 1
    debate.updated_at = clock.now()


def debate_by_code(code: str) -> LiveDebate | None:
    """The live debate with this join code."""
    cleaned = code.strip().upper().replace(" ", "").replace("-", "")
    return db.session.scalar(select(LiveDebate).where(LiveDebate.join_code == cleaned))


def participant(debate: LiveDebate, user: User) -> DebateParticipant | None:
    """The user's place in the debate, if they joined."""
    return db.session.scalar(select(DebateParticipant).where(
        DebateParticipant.debate_id == debate.id, DebateParticipant.user_id == user.id))


def join_debate(student: User, code: str) -> LiveDebate:
    """A student of the class joins its live debate with the code on the projector."""
    debate = debate_by_code(code)
    if debate is None or membership(debate.assignment.classroom, student) is None:
        raise DebateError("No debate of your classes has that code. Check the screen at the front.")
    if not student.is_student:
        raise DebateError("Only students join debates; teachers run them.")
    if debate.status == DebateStatus.FINISHED:
        raise DebateError("That debate has finished.")
    ensure_participant(debate, student)
    return debate


def ensure_participant(debate: LiveDebate, student: User) -> DebateParticipant:
    """The student's participant row, made on first visit."""
    found = participant(debate, student)
    if found is not None:
        return found
    found = DebateParticipant(debate=debate, user=student, joined_at=clock.now())
    db.session.add(found)
    _touch(debate)
    try:
        db.session.commit()
    except IntegrityError:  # two tabs joining at once
        db.session.rollback()
        found = participant(debate, student)
    return found


def choose_side(debate: LiveDebate, student: User, side: str) -> None:
    """A student picks the side they will speak for (when the teacher lets students choose)."""
    if side not in (Side.FOR, Side.AGAINST):
        raise DebateError("Choose for or against.")
    if not debate.students_choose_side:
        raise DebateError("Your teacher assigns the sides in this debate.")
    if debate.status != DebateStatus.LOBBY:
        raise DebateError("Sides are fixed once the debate has started.")
    member = ensure_participant(debate, student)
    member.side = side
    _touch(debate)
    db.session.commit()


def assign_sides(debate: LiveDebate) -> None:
    """The teacher balances the sides: students without one are dealt alternately to the smaller side."""
    counts = Counter(p.side for p in debate.participants)
    for member in debate.participants:
        if member.side in (Side.FOR, Side.AGAINST):
            continue
        member.side = Side.FOR if counts[Side.FOR] <= counts[Side.AGAINST] else Side.AGAINST
        counts[member.side] += 1
    _touch(debate)
    db.session.commit()


def set_rounds(debate: LiveDebate, rounds: list[dict], students_choose_side: bool) -> None:
    """Change the rounds' names and durations before the debate starts."""
    if debate.status != DebateStatus.LOBBY:
        raise DebateError("The rounds are fixed once the debate has started.")
    debate.rounds = check_rounds(rounds)
    debate.students_choose_side = students_choose_side
    _touch(debate)
    db.session.commit()


def advance(debate: LiveDebate, action: str) -> None:
    """The teacher moves the debate on: start, next round, restart the timer, open the final vote, finish."""
    now = clock.now()
    if action == "start":
        if debate.status != DebateStatus.LOBBY:
            raise DebateError("The debate has already started.")
        debate.status, debate.round_index, debate.round_started_at = DebateStatus.RUNNING, 0, now
    elif action == "next":
        if debate.status != DebateStatus.RUNNING:
            raise DebateError("The debate is not running.")
        if debate.round_index + 1 < len(debate.rounds):
            debate.round_index += 1
            debate.round_started_at = now
        else:
            debate.status, debate.round_started_at = DebateStatus.VOTING, None
        for speaker in debate.speakers:
            if speaker.status == SpeakerStatus.SPEAKING:
                speaker.status = SpeakerStatus.DONE
    elif action == "restart":
        if debate.status != DebateStatus.RUNNING:
            raise DebateError("The debate is not running.")
        debate.round_started_at = now
    elif action == "vote":
        if debate.status != DebateStatus.RUNNING:
            raise DebateError("The debate is not running.")
        debate.status, debate.round_started_at = DebateStatus.VOTING, None
    elif action == "finish":
        if debate.status == DebateStatus.FINISHED:
            raise DebateError("The debate has already finished.")
        debate.status, debate.round_started_at = DebateStatus.FINISHED, None
    else:
        raise DebateError("Unknown step.")
    _touch(debate)
    db.session.commit()


def open_vote_phase(debate: LiveDebate) -> str | None:
    """Which vote the audience may cast now: before the debate (lobby) or after it (voting)."""
    if debate.status == DebateStatus.LOBBY:
        return VotePhase.BEFORE
    if debate.status == DebateStatus.VOTING:
        return VotePhase.AFTER
    return None


def cast_vote(debate: LiveDebate, student: User, side: str) -> DebateVote:
    """A student's vote for the phase now open; voting again in the same phase changes the vote."""
    phase = open_vote_phase(debate)
    if phase is None:
        raise DebateError("Voting is closed right now.")
    if side not in Side.__members__.values():
        raise DebateError("Vote for, against or undecided.")
    ensure_participant(debate, student)
    vote = db.session.scalar(select(DebateVote).where(
        DebateVote.debate_id == debate.id, DebateVote.user_id == student.id, DebateVote.phase == phase))
    if vote is None:
        vote = DebateVote(debate=debate, user_id=student.id, phase=phase, created_at=clock.now())
        db.session.add(vote)
    vote.side = side
    _touch(debate)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise DebateError("Your vote was already counted.") from error
    return vote


def my_vote(debate: LiveDebate, user: User, phase: str) -> str | None:
    """The side the user voted for in a phase."""
    return db.session.scalar(select(DebateVote.side).where(
        DebateVote.debate_id == debate.id, DebateVote.user_id == user.id, DebateVote.phase == phase))


def request_to_speak(debate: LiveDebate, student: User) -> DebateSpeaker:
    """A student joins the speaking queue (once at a time)."""
    if debate.status not in (DebateStatus.LOBBY, DebateStatus.RUNNING):
        raise DebateError("The speaking queue is closed.")
    member = ensure_participant(debate, student)
    waiting = db.session.scalar(select(DebateSpeaker).where(
        DebateSpeaker.debate_id == debate.id, DebateSpeaker.user_id == student.id,
        DebateSpeaker.status != SpeakerStatus.DONE))
    if waiting is not None:
        raise DebateError("You are already in the speaking queue.")
    speaker = DebateSpeaker(debate=debate, user=student, side=member.side, requested_at=clock.now())
    db.session.add(speaker)
    _touch(debate)
    db.session.commit()
    return speaker


def manage_speaker(debate: LiveDebate, speaker_id: int, action: str) -> DebateSpeaker:
    """The teacher gives the floor to a queued speaker, marks them done, or removes them."""
    speaker = db.session.get(DebateSpeaker, speaker_id)
    if speaker is None or speaker.debate_id != debate.id:
        abort(404)
    if action == "speak":
        for other in debate.speakers:
            if other.status == SpeakerStatus.SPEAKING:
                other.status = SpeakerStatus.DONE
        speaker.status = SpeakerStatus.SPEAKING
    elif action == "done":
        speaker.status = SpeakerStatus.DONE
    elif action == "remove":
        db.session.delete(speaker)
    _touch(debate)
    db.session.commit()
    return speaker


@dataclass
class Tally:
    """Votes per side in one phase."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, side: str) -> float:
        return self.counts.get(side, 0) / self.total if self.total else 0.0


def tallies(debate: LiveDebate) -> dict[str, Tally]:
    """Before and after vote counts per side."""
    counts = {phase: Counter() for phase in VotePhase}
    for vote in debate.votes:
        counts[vote.phase][vote.side] += 1
    return {phase: Tally({side: counts[phase].get(side, 0) for side in Side}) for phase in VotePhase}


def result(debate: LiveDebate) -> dict:
    """Oxford-style result: the side whose share of the vote grew most wins (None for a tie)."""
    votes = tallies(debate)
    before, after = votes[VotePhase.BEFORE], votes[VotePhase.AFTER]
    swing = {side: round(100 * (after.share(side) - before.share(side)), 1)
             for side in (Side.FOR, Side.AGAINST)}
    winner = None
    if after.total and swing[Side.FOR] != swing[Side.AGAINST]:
        winner = max(swing, key=swing.get)
    return {"swing": swing, "winner": winner}


def state(debate: LiveDebate, *, show_tallies: bool) -> dict:
    """What every screen shows, as JSON: round, timer (from server timestamps), queue and tallies."""
    now = clock.now()
    current = debate.current_round
    ends_at = debate.round_ends_at()
    data = {
        "version": debate.version, "status": debate.status, "now": now.isoformat(),
        "round": {"index": debate.round_index, "count": len(debate.rounds),
                  "name": current["name"] if current else None,
                  "seconds": int(current["seconds"]) if current else None,
                  "ends_at": ends_at.isoformat() if ends_at else None,
                  "remaining": debate.remaining_seconds(now)},
        "vote_phase": open_vote_phase(debate),
        "participants": {side: sum(1 for p in debate.participants if p.side == side) for side in Side},
        "queue": [{"id": s.id, "name": s.user.display_name, "side": s.side, "status": s.status}
                  for s in debate.speakers if s.status != SpeakerStatus.DONE],
    }
    if show_tallies or debate.status == DebateStatus.FINISHED:
        votes = tallies(debate)
        data["tallies"] = {phase: tally.counts for phase, tally in votes.items()}
        data["result"] = result(debate)
    return data
