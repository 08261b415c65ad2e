"""What users said of a verdict: "👍 Hữu ích" or "👎 Chưa đúng" with a reason, counted for the checker's tuning.

A row holds the answer, the reason and the risk the user was told, never who
said it or the offer: an offer's text is seen with its feedback only when the
user also reported the offer (consenting to share it), through the report it
is linked to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, func, select

from bot.store import Base, Database, utcnow

HELPFUL = "helpful"
WRONG = "wrong"
# Why a verdict was not right, as the buttons offer them.
REASONS = ("not_scam", "missed_sign", "unclear")


class VerdictFeedback(Base):
    __tablename__ = "verdict_feedback"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    answer = Column(String(16), nullable=False)  # helpful | wrong
    reason = Column(String(16))  # one of REASONS, for a wrong verdict when the user picked one
    risk = Column(String(8), nullable=False)
    report_id = Column(ForeignKey("offer_reports.id", ondelete="SET NULL"), index=True)


def record(db: Database, answer: str, risk: str, reason: str | None = None, report_id: int | None = None) -> int:
    if answer not in (HELPFUL, WRONG) or (reason is not None and reason not in REASONS):
        raise ValueError(f"not an answer the buttons give: {answer} {reason}")
    with db.session() as session:
        row = VerdictFeedback(answer=answer, reason=reason, risk=risk, report_id=report_id)
        session.add(row)
        session.flush()
        return int(row.id)


def give_reason(db: Database, feedback_id: int, reason: str) -> None:
    if reason not in REASONS:
        raise ValueError(f"not a reason the buttons give: {reason}")
    with db.session() as session:
        row = session.get(VerdictFeedback, feedback_id)
        if row is not None:
            row.answer, row.reason = WRONG, reason


def link_to_report(db: Database, feedback_id: int, report_id: int) -> None:
    """The user reported the offer they gave feedback on: staff see the two together."""
    with db.session() as session:
        row = session.get(VerdictFeedback, feedback_id)
        if row is not None:
            row.report_id = report_id


@dataclass(frozen=True)
class Counts:
    helpful: int
    wrong: int
    reasons: dict[str, int]  # every reason, 0 when nobody gave it


def counts(db: Database) -> Counts:
    with db.session() as session:
        rows = session.execute(
            select(VerdictFeedback.answer, VerdictFeedback.reason, func.count()).group_by(
                VerdictFeedback.answer, VerdictFeedback.reason
            )
        ).all()
    answers: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for answer, reason, number in rows:
        answers[answer] += number
        if reason:
            reasons[reason] += number
    return Counts(answers[HELPFUL], answers[WRONG], {reason: reasons[reason] for reason in REASONS})


def of_report(db: Database, report_id: int) -> list[VerdictFeedback]:
    with db.session() as session:
        query = select(VerdictFeedback).where(VerdictFeedback.report_id == report_id).order_by(VerdictFeedback.id)
        return list(session.execute(query).scalars())
