"""What the staff console reads about cases: the inbox, closed cases, one case's transcript, the audit log."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from bot.handoff.cases import Status
from bot.store import AuditEntry, Case, CaseMessage, CaseNote, Database


def open_cases(db: Database) -> list[Case]:
    """The inbox: danger first, then whoever has waited longest."""
    with db.session() as session:
        return (
            session.execute(
                select(Case)
                .options(selectinload(Case.handler))
                .where(Case.status != Status.CLOSED)
                .order_by(Case.priority.desc(), Case.opened_at)
            )
            .scalars()
            .all()
        )


def closed_cases(db: Database, query: str = "", limit: int = 50) -> list[Case]:
    """Closed cases, newest first, found by number, reference, outcome or note."""
    with db.session() as session:
        statement = select(Case).options(selectinload(Case.handler)).where(Case.status == Status.CLOSED)
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


def audit_log(db: Database, limit: int = 200) -> list[AuditEntry]:
    with db.session() as session:
        return session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).scalars().all()
