"""The case state machine: a case's states, and every change made to a case.

    open_case ──▶ new ──claim, reply──▶ claimed
                   │                       │
                   └──close, end_by_user───┴──▶ closed ──open_case (a 4th case in a day)──▶ new

A danger case nobody claims in time is told so once, a smaller machine of its
own: none ──mark_unclaimed_notices_due──▶ due ──take_updates──▶ sent.

Every function is one unit of work (one transaction), so a case is committed
before anyone is told it exists. The reads are apart: bot/handoff/worker_queries.py
(the assistant's side) and bot/handoff/console_queries.py (the staff console's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.analytics.events import Recorder
from bot.handoff.presentation import as_utc
from bot.handoff.states import Author, Notice, Reason, Status
from bot.store import AuditEntry, Case, CaseMessage, CaseNote, CaseNotification, Database, StaffAccount, utcnow

PRIORITY = {Reason.DANGER: 2, Reason.REQUEST: 1}
NEW_CASES_PER_DAY = 3
# The outcome counted when the user ends a hand-off (staff choose theirs in the console).
ENDED_BY_USER = "ended_by_user"


class CaseError(ValueError):
    """A staff action that does not fit the case's state."""


class NoSuchCase(CaseError):
    def __init__(self) -> None:
        super().__init__("no such case")


class CaseClosed(CaseError):
    def __init__(self) -> None:
        super().__init__("case is closed")


class ClaimedBySomeoneElse(CaseError):
    def __init__(self) -> None:
        super().__init__("claimed by someone else")


# --- transitions ------------------------------------------------------------------------


def open_case(
    db: Database,
    user_key: str,
    conversation_id: str,
    channel: str,
    reason: str,
    consent_text: str,
    notify_targets: Sequence[str],
) -> Case:
    """→ new. The user said yes: the case, the first line of its transcript and the staff notifications, together.

    Past NEW_CASES_PER_DAY from one user, the latest case is opened again
    instead, without announcing it anew: one sender (or a script) cannot flood
    the inbox and the staff group, and staff keep the whole story in one place.
    """
    with db.session() as session:
        recent = (
            session.execute(
                select(Case)
                .where(Case.user_key == user_key, Case.opened_at >= utcnow() - timedelta(days=1))
                .order_by(Case.id.desc())
            )
            .scalars()
            .all()
        )
        if len(recent) >= NEW_CASES_PER_DAY:
            case = recent[0]
            case.status, case.closed_at, case.closed_by, case.channel = Status.NEW, None, None, channel
            case.conversation_id, case.last_user_message_at = conversation_id, utcnow()
            session.add(CaseMessage(case_id=case.id, user_key=user_key, author=Author.USER, text=consent_text))
            return case
        case = Case(
            user_key=user_key,
            conversation_id=conversation_id,
            channel=channel,
            reason=reason,
            priority=PRIORITY[reason],
            status=Status.NEW,
            unclaimed_notice=Notice.NONE,
            answers={},
            last_user_message_at=utcnow(),
        )
        session.add(case)
        session.flush()
        session.add(CaseMessage(case_id=case.id, user_key=user_key, author=Author.USER, text=consent_text))
        for target in notify_targets:
            session.add(CaseNotification(case_id=case.id, user_key=user_key, target=target))
        Recorder.within(session).handoff_opened(channel, user_key, reason)
    return case


def claim(db: Database, case_id: int, staff: StaffAccount) -> Case:
    """new → claimed (claimed again by its own handler: unchanged)."""
    with db.session() as session:
        case = _not_someone_elses(_not_closed(session, case_id), staff)
        case.status, case.handler_id = Status.CLAIMED, staff.id
        if case.claimed_at is None:
            _claimed_now(session, case)
        _audit(session, staff, "claim", case.id)
        return case


def reply(db: Database, case_id: int, staff: StaffAccount, text: str) -> Case:
    """A staff reply, written before delivery is attempted; new → claimed, replying claims an unclaimed case."""
    with db.session() as session:
        case = _not_someone_elses(_not_closed(session, case_id), staff)
        if case.status == Status.NEW:
            case.status, case.handler_id = Status.CLAIMED, staff.id
            if case.claimed_at is None:
                _claimed_now(session, case)
        if not _staff_wrote(session, case):
            Recorder.within(session).handoff_first_reply(case.channel, case.user_key, _seconds_since_opened(case))
        session.add(
            CaseMessage(case_id=case.id, user_key=case.user_key, author=Author.STAFF, staff_id=staff.id, text=text)
        )
        _audit(session, staff, "reply", case.id)
        return case


def close(db: Database, case_id: int, staff: StaffAccount, outcome: str) -> Case:
    """new or claimed (by anyone) → closed, by staff with an outcome; the user is told later (take_updates)."""
    with db.session() as session:
        case = _not_closed(session, case_id)
        case.status, case.closed_at, case.closed_by, case.outcome = Status.CLOSED, utcnow(), Author.STAFF, outcome
        case.handler_id = case.handler_id or staff.id
        Recorder.within(session).handoff_closed(case.channel, case.user_key, outcome)
        _audit(session, staff, "close", case.id, outcome)
        return case


def end_by_user(db: Database, case_id: int) -> None:
    """new or claimed → closed, by the user, who has just been told; a closed case stays as it is."""
    with db.session() as session:
        case = session.get(Case, case_id)
        if case.status != Status.CLOSED:
            case.status, case.closed_at, case.closed_by = Status.CLOSED, utcnow(), Author.USER
            case.closed_notice_sent = True
            Recorder.within(session).handoff_closed(case.channel, case.user_key, ENDED_BY_USER)


def mark_unclaimed_notices_due(db: Database, claim_minutes: float, now: datetime | None = None) -> list[str]:
    """Notice none → due on danger cases still new after claim_minutes; returns the conversations to tell."""
    cutoff = (now or utcnow()) - timedelta(minutes=claim_minutes)
    with db.session() as session:
        cases = (
            session.execute(
                select(Case).where(
                    Case.status == Status.NEW,
                    Case.reason == Reason.DANGER,
                    Case.unclaimed_notice == Notice.NONE,
                    Case.opened_at <= cutoff,
                )
            )
            .scalars()
            .all()
        )
        for case in cases:
            case.unclaimed_notice = Notice.DUE
        return [case.conversation_id for case in cases]


@dataclass
class Updates:
    """What staff did that the user has not been told yet."""

    staff_replies: list[str] = field(default_factory=list)
    unclaimed_notice: bool = False
    closed: bool = False

    def __bool__(self) -> bool:
        return bool(self.staff_replies or self.unclaimed_notice or self.closed)


def take_updates(db: Database, user_key: str) -> Updates:
    """Everything to pass on to this user, marked as passed on (each is told once): notice due → sent.

    The unclaimed notice is said only while the case is still new: claimed in
    the meantime, it is marked sent and not said.
    """
    updates = Updates()
    with db.session() as session:
        cases = (
            session.execute(
                select(Case)
                .where(
                    Case.user_key == user_key,
                    or_(Case.status != Status.CLOSED, Case.closed_notice_sent.is_(False)),
                )
                .order_by(Case.id)
            )
            .scalars()
            .all()
        )
        for case in cases:
            for message in case.messages:
                if message.author == Author.STAFF and message.delivered_at is None:
                    updates.staff_replies.append(message.text)
                    message.delivered_at = utcnow()
            if case.unclaimed_notice == Notice.DUE:
                updates.unclaimed_notice = case.status == Status.NEW
                case.unclaimed_notice = Notice.SENT
            if case.status == Status.CLOSED and not case.closed_notice_sent:
                updates.closed = True
                case.closed_notice_sent = True
    return updates


# --- writes that leave the state as it is ---------------------------------------------------


def record_user_message(db: Database, case_id: int, text: str, answer_to: str | None = None) -> Case:
    """One message of the user's into the transcript; an answer to an optional question is kept apart too."""
    with db.session() as session:
        case = session.get(Case, case_id)
        session.add(CaseMessage(case_id=case.id, user_key=case.user_key, author=Author.USER, text=text))
        case.last_user_message_at = utcnow()
        if answer_to is not None:
            case.answers = {**case.answers, answer_to: text}
        return case


def question_asked(db: Database, case_id: int) -> None:
    with db.session() as session:
        session.get(Case, case_id).questions_asked += 1


def raise_to_danger(db: Database, case_id: int) -> None:
    """Danger reported during a case opened on request: first in the console's list, and staff told if nobody claims it."""
    with db.session() as session:
        case = session.get(Case, case_id)
        case.reason, case.priority = Reason.DANGER, PRIORITY[Reason.DANGER]


def no_more_questions(db: Database, case_id: int, question_count: int) -> None:
    with db.session() as session:
        # Past the last question and its closing line: nothing more is asked.
        session.get(Case, case_id).questions_asked = question_count + 1


def add_note(db: Database, case_id: int, staff: StaffAccount, text: str) -> None:
    """A staff note, in any state (a closed case can still be annotated)."""
    with db.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NoSuchCase()
        session.add(CaseNote(case_id=case.id, user_key=case.user_key, staff_id=staff.id, text=text))
        _audit(session, staff, "note", case.id)


def audit(db: Database, staff_name: str, action: str, case_id: int | None = None, detail: str = "") -> None:
    with db.session() as session:
        session.add(AuditEntry(staff_name=staff_name, action=action, case_id=case_id, detail=detail))


def _claimed_now(session: Session, case: Case) -> None:
    case.claimed_at = utcnow()
    Recorder.within(session).handoff_claimed(case.channel, case.user_key, _seconds_since_opened(case))


def _seconds_since_opened(case: Case) -> int:
    return max(0, int((utcnow() - as_utc(case.opened_at)).total_seconds()))


def _staff_wrote(session: Session, case: Case) -> bool:
    return (
        session.execute(
            select(CaseMessage.id).where(CaseMessage.case_id == case.id, CaseMessage.author == Author.STAFF).limit(1)
        ).first()
        is not None
    )


def _not_closed(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NoSuchCase()
    if case.status == Status.CLOSED:
        raise CaseClosed()
    return case


def _not_someone_elses(case: Case, staff: StaffAccount) -> Case:
    if case.status == Status.CLAIMED and case.handler_id != staff.id:
        raise ClaimedBySomeoneElse()
    return case


def _audit(session: Session, staff: StaffAccount, action: str, case_id: int, detail: str = "") -> None:
    session.add(AuditEntry(staff_name=staff.name, action=action, case_id=case_id, detail=detail))
