"""Staff accounts: argon2 password hashes, and a brake on guessing passwords."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Deque, Dict, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from bot.store import Database, StaffAccount

ROLES = ("hotline", "admin")
MIN_PASSWORD_CHARS = 10
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a real password")


class AccountError(ValueError):
    pass


def add_account(db: Database, name: str, role: str, password: str) -> StaffAccount:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"password must have at least {MIN_PASSWORD_CHARS} characters")
    with db.session() as session:
        if session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none():
            raise AccountError(f"an account named {name!r} exists already")
        account = StaffAccount(name=name, role=role, password_hash=_HASHER.hash(password))
        session.add(account)
    return account


def account_by_id(db: Database, account_id: int) -> Optional[StaffAccount]:
    with db.session() as session:
        account = session.get(StaffAccount, account_id)
        return account if account is not None and account.active else None


def all_accounts(db: Database):
    with db.session() as session:
        return session.execute(select(StaffAccount).order_by(StaffAccount.name)).scalars().all()


def check_password(db: Database, name: str, password: str) -> Optional[StaffAccount]:
    with db.session() as session:
        account = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
    try:
        _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return account if account is not None and account.active else None


class LoginThrottle:
    """At most `limit` failed logins per name and per address in `window` seconds.

    Kept in the bot service's memory: one process serves the console.
    """

    def __init__(self, limit: int = 5, window: float = 15 * 60) -> None:
        self.limit = limit
        self.window = window
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def blocked(self, name: str, address: str) -> bool:
        return any(len(self._recent(key)) >= self.limit for key in (f"name:{name}", f"addr:{address}"))

    def failed(self, name: str, address: str) -> None:
        for key in (f"name:{name}", f"addr:{address}"):
            self._recent(key).append(time.monotonic())

    def _recent(self, key: str) -> Deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return failures
