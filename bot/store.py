"""The application database (SQLAlchemy 1.4 in the 2.0 style).

No row holds a platform user id in clear: rows about a user carry `user_key`,
a keyed hash of the sender id (contract.identity.user_key_for), so the
database alone does not say who anyone is, and erasing a user is one delete
per table that has that column.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    inspect,
    select,
)
from sqlalchemy.orm import DeclarativeMeta, Session, registry, relationship, sessionmaker

from contract.database import make_engine
from contract.tables import connector_tables
from migrations import upgrade as upgrade_schema

# Declared as a class, not `declarative_base()`: the same base (SQLAlchemy 1.4, "declarative
# base without the function"), which a type checker reads as a class.
_registry = registry()


class Base(metaclass=DeclarativeMeta):
    __abstract__ = True
    registry = _registry
    metadata = _registry.metadata
    __init__ = _registry.constructor


USER_KEY = "user_key"
# Tables counting people month by month (bot/analytics) hold this instead of user_key.
MONTHLY_KEY = "monthly_key"
MONTH = "month"
# Table.info flag: a table of counts derived from people (no key to find one person by), emptied by any erasure.
ERASED_WITH_EVERY_USER = "erased_with_every_user"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def monthly_key_for(user_key: str, month: str) -> str:
    """The user_key hashed again with the month ("2026-11"), so rows of two months cannot be joined."""
    return hmac.new(month.encode(), user_key.encode(), hashlib.sha256).hexdigest()[:32]


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"

    id = Column(Integer, primary_key=True)
    user_key = Column(String(64), nullable=False, index=True)
    quiz_id = Column(String(64), nullable=False)
    # Question ids in the order asked, and per question the option ids in the
    # order shown: shuffled once per attempt so a resumed quiz looks the same.
    question_order = Column(JSON, nullable=False)
    option_order = Column(JSON, nullable=False)
    position = Column(Integer, nullable=False, default=0)
    score = Column(Integer, nullable=False, default=0)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = Column(DateTime(timezone=True))

    answers = relationship("QuizAnswer", back_populates="attempt", order_by="QuizAnswer.id")

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class QuizAnswer(Base):
    __tablename__ = "quiz_answers"

    id = Column(Integer, primary_key=True)
    attempt_id = Column(ForeignKey("quiz_attempts.id"), nullable=False, index=True)
    user_key = Column(String(64), nullable=False, index=True)
    quiz_id = Column(String(64), nullable=False)
    question_id = Column(String(64), nullable=False)
    option_id = Column(String(64), nullable=False)
    correct = Column(Boolean, nullable=False)
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    attempt = relationship("QuizAttempt", back_populates="answers")


# --- hand-off to hotline staff -------------------------------------------------------


class Case(Base):
    """One hand-off: opened with the user's consent, worked by staff, closed by either side."""

    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    user_key = Column(String(64), nullable=False, index=True)
    # Where replies must go. Never shown in the console, which shows `reference`.
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    reason = Column(String(16), nullable=False)  # danger | request
    priority = Column(Integer, nullable=False)  # higher first
    status = Column(String(16), nullable=False, default="new", index=True)  # new | claimed | closed
    opened_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_at = Column(DateTime(timezone=True))
    closed_at = Column(DateTime(timezone=True))
    last_user_message_at = Column(DateTime(timezone=True))
    handler_id = Column(ForeignKey("staff_accounts.id"))
    outcome = Column(String(64))
    closed_by = Column(String(16))  # user | staff
    # Answers to the optional questions, by question id; a skipped one is absent.
    answers = Column(JSON, nullable=False, default=dict)
    questions_asked = Column(Integer, nullable=False, default=0)
    unclaimed_notice = Column(String(16), nullable=False, default="none")  # none | due | sent
    closed_notice_sent = Column(Boolean, nullable=False, default=False)

    handler = relationship("StaffAccount")
    messages = relationship("CaseMessage", back_populates="case", order_by="CaseMessage.id")
    notes = relationship("CaseNote", back_populates="case", order_by="CaseNote.id")

    @property
    def reference(self) -> str:
        """The pseudonymous name staff see: stable per user, not the platform id."""
        return f"ND-{self.user_key[:6].upper()}"


class CaseMessage(Base):
    """The transcript from consent on: what the user, staff and the assistant said."""

    __tablename__ = "case_messages"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    user_key = Column(String(64), nullable=False, index=True)
    author = Column(String(16), nullable=False)  # user | staff | assistant
    staff_id = Column(ForeignKey("staff_accounts.id"))
    text = Column(Text, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # Staff replies wait here until the assistant has passed them to the user's channel.
    delivered_at = Column(DateTime(timezone=True))

    case = relationship("Case", back_populates="messages")
    staff = relationship("StaffAccount")


class CaseNote(Base):
    __tablename__ = "case_notes"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    user_key = Column(String(64), nullable=False, index=True)
    staff_id = Column(ForeignKey("staff_accounts.id"), nullable=False)
    text = Column(Text, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    case = relationship("Case", back_populates="notes")
    staff = relationship("StaffAccount")


class CaseNotification(Base):
    """Telling staff a case opened: written with the case, sent and retried by the bot service."""

    __tablename__ = "case_notifications"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    user_key = Column(String(64), nullable=False, index=True)
    target = Column(String(16), nullable=False)  # telegram | webhook
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True))
    last_error = Column(String(200))


class WebchatOutbox(Base):
    """Messages for a web chat user that arrived outside a reply (staff replies), until the page fetches them."""

    __tablename__ = "webchat_outbox"

    id = Column(Integer, primary_key=True)
    user_key = Column(String(64), nullable=False, index=True)
    message = Column(JSON, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)
    role = Column(String(16), nullable=False)  # hotline | campaign | admin
    password_hash = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditEntry(Base):
    """Every staff action. Holds no user text, so it outlives a user's erasure."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    staff_name = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    case_id = Column(Integer)
    detail = Column(String(200), nullable=False, default="")


class Database:
    """One engine per process; one session per unit of work."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        # Every table of this database, the connectors' included (migrations/).
        upgrade_schema(self.engine)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def erase_user(self, user_key: str) -> int:
        """Delete every row about this user; returns how many went.

        Every table with a `user_key` column: the bot's and the channel
        connectors' (contract/tables.py), those that exist in this database
        (the analytics table is made on first use).
        """
        existing = set(inspect(self.engine).get_table_names())
        tables = [*reversed(Base.metadata.sorted_tables), *reversed(connector_tables.sorted_tables)]
        removed = 0
        with self.session() as session:
            for table in (t for t in tables if t.name in existing):
                if USER_KEY in table.c:
                    removed += session.execute(delete(table).where(table.c[USER_KEY] == user_key)).rowcount
                elif MONTHLY_KEY in table.c:
                    removed += _erase_monthly(session, table, user_key)
                elif table.info.get(ERASED_WITH_EVERY_USER):
                    session.execute(delete(table))
        return removed


def _erase_monthly(session: Session, table, user_key: str) -> int:
    """One delete per month the table holds: the key differs each month by design."""
    months = session.execute(select(table.c[MONTH]).distinct()).scalars().all()
    return sum(
        session.execute(
            delete(table).where(table.c[MONTH] == month, table.c[MONTHLY_KEY] == monthly_key_for(user_key, month))
        ).rowcount
        for month in months
    )
