"""The application database (SQLAlchemy 1.4 in the 2.0 style).

No row holds a platform user id in clear: rows about a user carry `user_key`,
a keyed hash of the sender id, so the database alone does not say who anyone
is, and erasing a user is one delete per table that has that column.
"""
from __future__ import annotations

import hashlib
import hmac
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    create_engine,
    delete,
    event,
)
from sqlalchemy.orm import Session, declarative_base, relationship, sessionmaker

Base = declarative_base()
USER_KEY = "user_key"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def user_key_for(sender_id: str, secret_key: str) -> str:
    """The pseudonymous reference to a user that every table stores."""
    return hmac.new(secret_key.encode(), sender_id.encode(), hashlib.sha256).hexdigest()[:32]


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


class Database:
    """One engine per process; one session per unit of work."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def erase_user(self, user_key: str) -> int:
        """Delete every row about this user; returns how many went."""
        removed = 0
        with self.session() as session:
            for table in reversed(Base.metadata.sorted_tables):
                if USER_KEY in table.c:
                    removed += session.execute(delete(table).where(table.c[USER_KEY] == user_key)).rowcount
        return removed


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets the bot service read while the action server writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
