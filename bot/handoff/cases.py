"""Cases in the application database: what the assistant and the staff console do to them.

Every function is one unit of work (one transaction), so a case is committed
before anyone is told it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import selectinload

from bot.store import (
    AuditEntry,
    Case,
    CaseMessage,
    CaseNote,
    CaseNotification,
    Database,
    StaffAccount,
    utcnow,
)
from contract.limits import MessengerLimit, ZaloLimit
from contract.tables import echoes, undelivered

DANGER, REQUEST = "danger", "request"
PRIORITY = {DANGER: 2, REQUEST: 1}
NEW, CLAIMED, CLOSED = "new", "claimed", "closed"
NEW_CASES_PER_DAY = 3
USER, STAFF, ASSISTANT = "user", "staff", "assistant"
# How staff know the channels: Rasa calls the web chat's "rest".
CHANNEL_NAMES = {"rest": "Web chat", "zalo": "Zalo", "telegram": "Telegram", "messenger": "Messenger"}


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


class CaseError(ValueError):
    """A staff action that does not fit the case's state (closed, claimed by someone else)."""


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


# --- the user's side (called by the action server) ---------------------------------


def open_case(
    db: Database,
    user_key: str,
    conversation_id: str,
    channel: str,
    reason: str,
    consent_text: str,
    notify_targets: Sequence[str],
) -> Case:
    """The user said yes: the case, the first line of its transcript and the staff notifications, together.

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
            case.status, case.closed_at, case.closed_by, case.channel = NEW, None, None, channel
            case.conversation_id, case.last_user_message_at = conversation_id, utcnow()
            session.add(CaseMessage(case_id=case.id, user_key=user_key, author=USER, text=consent_text))
            return case
        case = Case(
            user_key=user_key,
            conversation_id=conversation_id,
            channel=channel,
            reason=reason,
            priority=PRIORITY[reason],
            status=NEW,
            answers={},
            last_user_message_at=utcnow(),
        )
        session.add(case)
        session.flush()
        session.add(CaseMessage(case_id=case.id, user_key=user_key, author=USER, text=consent_text))
        for target in notify_targets:
            session.add(CaseNotification(case_id=case.id, user_key=user_key, target=target))
    return case


def open_case_of(db: Database, user_key: str) -> Case | None:
    with db.session() as session:
        return (
            session.execute(
                select(Case).where(Case.user_key == user_key, Case.status != CLOSED).order_by(Case.id.desc())
            )
            .scalars()
            .first()
        )


def record_user_message(db: Database, case_id: int, text: str, answer_to: str | None = None) -> Case:
    """One message of the user's into the transcript; an answer to an optional question is kept apart too."""
    with db.session() as session:
        case = session.get(Case, case_id)
        session.add(CaseMessage(case_id=case.id, user_key=case.user_key, author=USER, text=text))
        case.last_user_message_at = utcnow()
        if answer_to is not None:
            case.answers = {**case.answers, answer_to: text}
        return case


def question_asked(db: Database, case_id: int) -> None:
    with db.session() as session:
        session.get(Case, case_id).questions_asked += 1


def no_more_questions(db: Database, case_id: int, question_count: int) -> None:
    with db.session() as session:
        # Past the last question and its closing line: nothing more is asked.
        session.get(Case, case_id).questions_asked = question_count + 1


def end_by_user(db: Database, case_id: int) -> None:
    with db.session() as session:
        case = session.get(Case, case_id)
        if case.status != CLOSED:
            case.status, case.closed_at, case.closed_by = CLOSED, utcnow(), USER
            case.closed_notice_sent = True


@dataclass
class Updates:
    """What staff did that the user has not been told yet."""

    staff_replies: list[str] = field(default_factory=list)
    unclaimed_notice: bool = False
    closed: bool = False

    def __bool__(self) -> bool:
        return bool(self.staff_replies or self.unclaimed_notice or self.closed)


def take_updates(db: Database, user_key: str) -> Updates:
    """Everything to pass on to this user, marked as passed on (each is told once)."""
    updates = Updates()
    with db.session() as session:
        cases = (
            session.execute(
                select(Case)
                .where(
                    Case.user_key == user_key,
                    or_(Case.status != CLOSED, Case.closed_notice_sent.is_(False)),
                )
                .order_by(Case.id)
            )
            .scalars()
            .all()
        )
        for case in cases:
            for message in case.messages:
                if message.author == STAFF and message.delivered_at is None:
                    updates.staff_replies.append(message.text)
                    message.delivered_at = utcnow()
            if case.unclaimed_notice == "due":
                updates.unclaimed_notice = case.status == NEW
                case.unclaimed_notice = "sent"
            if case.status == CLOSED and not case.closed_notice_sent:
                updates.closed = True
                case.closed_notice_sent = True
    return updates


def mark_unclaimed_notices_due(db: Database, claim_minutes: float, now: datetime | None = None) -> list[str]:
    """Danger cases nobody claimed in time; returns the conversations to tell."""
    cutoff = (now or utcnow()) - timedelta(minutes=claim_minutes)
    with db.session() as session:
        cases = (
            session.execute(
                select(Case).where(
                    Case.status == NEW,
                    Case.reason == DANGER,
                    Case.unclaimed_notice == "none",
                    Case.opened_at <= cutoff,
                )
            )
            .scalars()
            .all()
        )
        for case in cases:
            case.unclaimed_notice = "due"
        return [case.conversation_id for case in cases]


def conversations_with_updates(db: Database) -> list[str]:
    """Conversations that have something waiting for them (a delivery that failed, say)."""
    with db.session() as session:
        waiting_reply = select(CaseMessage.case_id).where(
            CaseMessage.author == STAFF, CaseMessage.delivered_at.is_(None)
        )
        rows = (
            session.execute(
                select(Case.conversation_id)
                .where(
                    or_(
                        Case.id.in_(waiting_reply),
                        Case.unclaimed_notice == "due",
                        (Case.status == CLOSED) & Case.closed_notice_sent.is_(False),
                    )
                )
                .distinct()
            )
            .scalars()
            .all()
        )
        return list(rows)


# --- the staff side (called by the console) ------------------------------------------


def open_cases(db: Database) -> list[Case]:
    """The inbox: danger first, then whoever has waited longest."""
    with db.session() as session:
        return (
            session.execute(
                select(Case)
                .options(selectinload(Case.handler))
                .where(Case.status != CLOSED)
                .order_by(Case.priority.desc(), Case.opened_at)
            )
            .scalars()
            .all()
        )


def closed_cases(db: Database, query: str = "", limit: int = 50) -> list[Case]:
    """Closed cases, newest first, found by number, reference, outcome or note."""
    with db.session() as session:
        statement = select(Case).options(selectinload(Case.handler)).where(Case.status == CLOSED)
        query = query.strip()
        if query:
            pattern = f"%{query}%"
            noted = select(CaseNote.case_id).where(CaseNote.text.ilike(pattern))
            conditions = [Case.outcome.ilike(pattern), Case.id.in_(noted)]
            number = query.lstrip("#")
            if number.isdigit():
                conditions.append(Case.id == int(number))
            if query.upper().startswith("ND-"):
                conditions.append(Case.user_key.ilike(f"{query[3:]}%"))
            statement = statement.where(or_(*conditions))
        return session.execute(statement.order_by(Case.closed_at.desc()).limit(limit)).scalars().all()


def case_with_transcript(db: Database, case_id: int) -> Case | None:
    with db.session() as session:
        return (
            session.execute(
                select(Case)
                .where(Case.id == case_id)
                .options(
                    selectinload(Case.messages).selectinload(CaseMessage.staff),
                    selectinload(Case.notes).selectinload(CaseNote.staff),
                    selectinload(Case.handler),
                )
            )
            .scalars()
            .first()
        )


@dataclass(frozen=True)
class Undelivered:
    """A reply the user's platform refused or never took after every retry."""

    at: datetime
    platform: str
    staff_reply: bool
    reason: str


@dataclass(frozen=True)
class WrittenElsewhere:
    """Staff wrote to the user from the platform's own inbox (Zalo's OA admin); the text is not kept."""

    at: datetime
    platform: str


# How long after the user's last message a reply can still reach them, per
# platform: free, then only at a cost or with Meta's permission, then not at all
# (contract/limits.py, docs/channels.md).
REPLY_WINDOWS = {
    # then paid through a Zalo Cloud Account
    "zalo": (timedelta(hours=ZaloLimit.FREE_REPLY_HOURS), timedelta(days=ZaloLimit.REPLY_DAYS)),
    # then only with the HUMAN_AGENT tag
    "messenger": (
        timedelta(hours=MessengerLimit.STANDARD_WINDOW_HOURS),
        timedelta(days=MessengerLimit.HUMAN_AGENT_DAYS),
    ),
}
FREE, LIMITED, CLOSED_WINDOW = "free", "limited", "closed"


@dataclass(frozen=True)
class ReplyWindow:
    """Whether a staff reply can still be delivered free, only in a limited way, or not at all."""

    platform: str
    state: str
    free_until: datetime
    last_until: datetime


def reply_window(case: Case, now: datetime | None = None) -> ReplyWindow | None:
    """The case's reply window, or None on a platform without one (Telegram, the web chat)."""
    window = REPLY_WINDOWS.get(case.channel)
    wrote = as_utc(case.last_user_message_at or case.opened_at)
    if window is None or wrote is None:
        return None
    now = now or utcnow()
    free_until, last_until = wrote + window[0], wrote + window[1]
    state = FREE if now < free_until else LIMITED if now < last_until else CLOSED_WINDOW
    return ReplyWindow(case.channel, state, free_until, last_until)


def undelivered_since_opened(db: Database, case: Case) -> list[Undelivered]:
    rows = _connector_rows(db, undelivered, case, "at", "platform", "staff_reply", "reason")
    return [Undelivered(as_utc(at), platform, bool(staff), reason) for at, platform, staff, reason in rows]


def written_elsewhere_since_opened(db: Database, case: Case) -> list[WrittenElsewhere]:
    return [
        WrittenElsewhere(as_utc(at), platform) for at, platform in _connector_rows(db, echoes, case, "at", "platform")
    ]


def _connector_rows(db: Database, table: Table, case: Case, *columns: str) -> list:
    """Rows the channel connectors wrote about this case's user since it opened (contract/tables.py)."""
    query = (
        select(*(table.c[name] for name in columns))
        .where(table.c.user_key == case.user_key, table.c.at >= case.opened_at)
        .order_by(table.c.at)
    )
    with db.session() as session:
        return session.execute(query).all()


def messages_after(db: Database, case_id: int, after_id: int) -> list[CaseMessage]:
    with db.session() as session:
        return (
            session.execute(
                select(CaseMessage)
                .options(selectinload(CaseMessage.staff))
                .where(CaseMessage.case_id == case_id, CaseMessage.id > after_id)
                .order_by(CaseMessage.id)
            )
            .scalars()
            .all()
        )


def claim(db: Database, case_id: int, staff: StaffAccount) -> Case:
    with db.session() as session:
        case = _case_for_staff(session, case_id)
        if case.status == CLAIMED and case.handler_id != staff.id:
            raise CaseError("claimed by someone else")
        case.status, case.handler_id = CLAIMED, staff.id
        case.claimed_at = case.claimed_at or utcnow()
        _audit(session, staff, "claim", case.id)
        return case


def reply(db: Database, case_id: int, staff: StaffAccount, text: str) -> Case:
    """A staff reply, written before delivery is attempted; replying claims an unclaimed case."""
    with db.session() as session:
        case = _case_for_staff(session, case_id)
        if case.status == CLAIMED and case.handler_id != staff.id:
            raise CaseError("claimed by someone else")
        if case.status == NEW:
            case.status, case.handler_id, case.claimed_at = CLAIMED, staff.id, utcnow()
        session.add(CaseMessage(case_id=case.id, user_key=case.user_key, author=STAFF, staff_id=staff.id, text=text))
        _audit(session, staff, "reply", case.id)
        return case


def add_note(db: Database, case_id: int, staff: StaffAccount, text: str) -> None:
    with db.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseError("no such case")
        session.add(CaseNote(case_id=case.id, user_key=case.user_key, staff_id=staff.id, text=text))
        _audit(session, staff, "note", case.id)


def close(db: Database, case_id: int, staff: StaffAccount, outcome: str) -> Case:
    with db.session() as session:
        case = _case_for_staff(session, case_id)
        case.status, case.closed_at, case.closed_by, case.outcome = CLOSED, utcnow(), STAFF, outcome
        case.handler_id = case.handler_id or staff.id
        _audit(session, staff, "close", case.id, outcome)
        return case


def audit(db: Database, staff_name: str, action: str, case_id: int | None = None, detail: str = "") -> None:
    with db.session() as session:
        session.add(AuditEntry(staff_name=staff_name, action=action, case_id=case_id, detail=detail))


def audit_log(db: Database, limit: int = 200) -> list[AuditEntry]:
    with db.session() as session:
        return session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).scalars().all()


def _case_for_staff(session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseError("no such case")
    if case.status == CLOSED:
        raise CaseError("case is closed")
    return case


def _audit(session, staff: StaffAccount, action: str, case_id: int, detail: str = "") -> None:
    session.add(AuditEntry(staff_name=staff.name, action=action, case_id=case_id, detail=detail))


def answers_for_staff(case: Case, labels: dict[str, str]) -> list[tuple]:
    """The optional answers with the labels staff know them by, in the questions' order."""
    return [(label, case.answers[qid]) for qid, label in labels.items() if qid in case.answers]
