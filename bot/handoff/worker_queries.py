"""What the assistant's side looks up: a user's open case, and which conversations have news waiting."""

from __future__ import annotations

from sqlalchemy import or_, select

from bot.handoff.cases import Author, Notice, Status
from bot.store import Case, CaseMessage, Database


def open_case_of(db: Database, user_key: str) -> Case | None:
    with db.session() as session:
        return (
            session.execute(
                select(Case).where(Case.user_key == user_key, Case.status != Status.CLOSED).order_by(Case.id.desc())
            )
            .scalars()
            .first()
        )


def conversations_with_updates(db: Database) -> list[str]:
    """Conversations that have something waiting for them (a delivery that failed, say)."""
    with db.session() as session:
        waiting_reply = select(CaseMessage.case_id).where(
            CaseMessage.author == Author.STAFF, CaseMessage.delivered_at.is_(None)
        )
        rows = (
            session.execute(
                select(Case.conversation_id)
                .where(
                    or_(
                        Case.id.in_(waiting_reply),
                        Case.unclaimed_notice == Notice.DUE,
                        (Case.status == Status.CLOSED) & Case.closed_notice_sent.is_(False),
                    )
                )
                .distinct()
            )
            .scalars()
            .all()
        )
        return list(rows)
