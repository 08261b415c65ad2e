"""Offers users reported ("Báo tin này"), the review of each by campaign staff, and who asked to hear back.

A report holds the offer's text and the contacts found in it, never who sent
it: the user agreed to share the offer, not themselves. Whoever asked to be
told the outcome is a separate row (`report_subscriptions`, keyed by the
pseudonymous user_key, erased with the user), so the review queue cannot
show an identity it does not have. Confirming a report lists the contacts
and text staff pick (store.ListEditor: a verified hotline is refused) and
makes the subscribers' notices due; dismissing it tells nobody. Both are
in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import relationship

from bot.knownscams import normalise as n
from bot.knownscams.extract import find_contacts
from bot.knownscams.store import Candidate, KnownScamError, ListEditor, candidate
from bot.store import AuditEntry, Base, Database, utcnow

MAX_REPORT_CHARS = 5000  # the web chat's cap; a longer text is cut, never refused
MAX_STAFF_NOTE_CHARS = 500


class ReportStatus(str, Enum):
    NEW = "new"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class NoticeState(str, Enum):
    WAITING = "waiting"  # the report is not reviewed yet
    DUE = "due"  # confirmed: tell the user at the next pass
    SENT = "sent"
    EXPIRED = "expired"  # the platform's window closed before the report was confirmed


class OfferReport(Base):
    __tablename__ = "offer_reports"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    # [{kind, value, quote}] as found when reported (extract.find_contacts).
    contacts = Column(JSON, nullable=False, default=list)
    risk = Column(String(8), nullable=False)  # the verdict the user was given
    status = Column(String(16), nullable=False, default=ReportStatus.NEW.value, index=True)
    reported_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reviewed_at = Column(DateTime(timezone=True))
    reviewed_by = Column(String(64))
    staff_note = Column(Text, nullable=False, default="")

    subscriptions = relationship("ReportSubscription", back_populates="report")


class ReportSubscription(Base):
    """A user who asked to be told when their report is confirmed: where to tell them, and whether it was said."""

    __tablename__ = "report_subscriptions"

    id = Column(Integer, primary_key=True)
    report_id = Column(ForeignKey("offer_reports.id", ondelete="CASCADE"), nullable=False, index=True)
    user_key = Column(String(64), nullable=False, index=True)
    # Where the notice goes (as a case's conversation_id); never shown in the console.
    conversation_id = Column(String(128), nullable=False)
    channel = Column(String(32), nullable=False)
    subscribed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    notice = Column(String(16), nullable=False, default=NoticeState.WAITING.value, index=True)
    notice_at = Column(DateTime(timezone=True))

    report = relationship("OfferReport", back_populates="subscriptions")


@dataclass(frozen=True)
class Subscriber:
    user_key: str
    conversation_id: str
    channel: str


class ReviewError(ValueError):
    """A review the report's state refuses, or an entry the list refuses.

    `code` names the reason (the list's own codes, store.KnownScamError, and
    `nothing_chosen`, `missing`, `reviewed`); `entry` is the refused entry's
    place among the report's contacts, or TEXT for the report's text. The
    console says the reason in Vietnamese from these two
    (bot/templates/console/_list_refusals.html).
    """

    TEXT = -1

    def __init__(self, code: str, message: str, entry: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.entry = entry


def file_report(db: Database, text: str, risk: str, subscriber: Subscriber | None) -> int:
    """A reported offer in the queue, and its reporter's wish to hear back (only with `subscriber`)."""
    text = text.strip()[:MAX_REPORT_CHARS]
    contacts = [{"kind": c.kind, "value": c.value, "quote": c.quote} for c in find_contacts(text)]
    with db.session() as session:
        report = OfferReport(text=text, contacts=contacts, risk=risk)
        session.add(report)
        session.flush()
        if subscriber is not None:
            session.add(
                ReportSubscription(
                    report_id=report.id,
                    user_key=subscriber.user_key,
                    conversation_id=subscriber.conversation_id,
                    channel=subscriber.channel,
                )
            )
        return int(report.id)


def queue(db: Database, status: ReportStatus = ReportStatus.NEW) -> list[OfferReport]:
    with db.session() as session:
        found = select(OfferReport).where(OfferReport.status == status.value).order_by(OfferReport.id.desc())
        return list(session.execute(found).scalars())


def report_by_id(db: Database, report_id: int) -> OfferReport | None:
    with db.session() as session:
        return session.get(OfferReport, report_id)


def confirmed_for(db: Database, report_id: int, user_key: str) -> OfferReport | None:
    """The report, if it is confirmed and this user asked to hear back about it."""
    with db.session() as session:
        query = (
            select(OfferReport)
            .join(ReportSubscription)
            .where(
                OfferReport.id == report_id,
                OfferReport.status == ReportStatus.CONFIRMED.value,
                ReportSubscription.user_key == user_key,
            )
        )
        return session.execute(query).scalars().first()


def confirm(
    db: Database,
    editor: ListEditor,
    report_id: int,
    staff_name: str,
    contacts: Sequence[int],
    with_text: bool,
    source: str,
    note: str = "",
) -> list[str]:
    """List the chosen contacts (by their place in the report) and the text; the report is confirmed.

    Returns the values as listed. Every entry is checked before any is added:
    one the list refuses (a verified hotline, a lure too short) refuses the
    whole confirmation, so nothing is half done. An entry already listed takes
    the later checked date (store.ListEditor.add_all).
    """
    report = _reviewable(db, report_id)
    chosen = [i for i in sorted(set(contacts)) if 0 <= i < len(report.contacts)]
    wanted = [(i, report.contacts[i]["kind"], report.contacts[i]["quote"]) for i in chosen]
    wanted += [(ReviewError.TEXT, n.LURE, report.text)] if with_text else []
    if not wanted:
        raise ReviewError("nothing_chosen", "choose at least one contact or the text to list")
    entries = [_checked(place, kind, value, source, note, editor) for place, kind, value in wanted]
    result = editor.add_all(entries, staff_name)
    _close(db, report_id, ReportStatus.CONFIRMED, staff_name, note, NoticeState.DUE, f"listed {result.added}")
    return [entry.display for entry in entries]


def _checked(place: int, kind: str, value: str, source: str, note: str, editor: ListEditor) -> Candidate:
    """The entry as the list would take it, or a ReviewError naming the refused one by its place."""
    try:
        return candidate(kind, value, source, dt.date.today(), editor.protected, note)
    except KnownScamError as error:
        raise ReviewError(error.code, str(error), place) from None


def dismiss(db: Database, report_id: int, staff_name: str, note: str = "") -> None:
    """Not a scam, or not enough to list: nobody is told (a notice promises confirmations only)."""
    _reviewable(db, report_id)
    _close(db, report_id, ReportStatus.DISMISSED, staff_name, note, NoticeState.EXPIRED, "")


def _reviewable(db: Database, report_id: int) -> OfferReport:
    report = report_by_id(db, report_id)
    if report is None:
        raise ReviewError("missing", f"no report #{report_id}")
    if report.status != ReportStatus.NEW.value:
        raise ReviewError("reviewed", f"report #{report_id} was already reviewed ({report.status})")
    return report


def _close(
    db: Database, report_id: int, status: ReportStatus, staff_name: str, note: str, notice: NoticeState, detail: str
) -> None:
    with db.session() as session:
        report = session.get(OfferReport, report_id)
        report.status = status.value
        report.reviewed_at = utcnow()
        report.reviewed_by = staff_name[:64]
        report.staff_note = note.strip()[:MAX_STAFF_NOTE_CHARS]
        for subscription in report.subscriptions:
            subscription.notice = notice.value
        session.add(
            AuditEntry(
                staff_name=staff_name[:64],
                action=f"report_{status.value}",
                detail=f"report #{report_id} {detail}".strip()[:200],
            )
        )
