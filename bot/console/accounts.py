"""Staff accounts: argon2 password hashes, and a brake on guessing passwords."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from bot.store import Database, StaffAccount

ROLES = ("hotline", "campaign", "admin")
# Who may work cases, and who may review reported offers (bot/console/reports.py).
HOTLINE_ROLES = ("hotline", "admin")
CAMPAIGN_ROLES = ("campaign", "admin")
MIN_PASSWORD_CHARS = 10
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a real password")


class AccountError(ValueError):
    pass


def add_account(db: Database, name: str, role: str, password: str) -> StaffAccount:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    _check_new_password(password)
    with db.session() as session:
        if session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none():
            raise AccountError(f"an account named {name!r} exists already")
        account = StaffAccount(name=name, role=role, password_hash=_HASHER.hash(password))
        session.add(account)
    return account


def deactivate(db: Database, name: str) -> None:
    """The account can no longer log in; its open sessions end at their next request."""
    with db.session() as session:
        _named(session, name).active = False


def reset_password(db: Database, name: str, password: str) -> None:
    """A new password; sessions opened with the old one end at their next request."""
    _check_new_password(password)
    with db.session() as session:
        _named(session, name).password_hash = _HASHER.hash(password)


def _named(session, name: str) -> StaffAccount:
    account = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
    if account is None:
        raise AccountError(f"there is no account named {name!r}")
    return account


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"password must have at least {MIN_PASSWORD_CHARS} characters")


def account_by_id(db: Database, account_id: int) -> StaffAccount | None:
    with db.session() as session:
        account = session.get(StaffAccount, account_id)
        return account if account is not None and account.active else None


def password_stamp(account: StaffAccount) -> str:
    """Kept in the session: a new password changes it, which ends the sessions opened with the old one.

    A digest of the salted argon2 hash, so the (signed, not encrypted) cookie says nothing about the password.
    """
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def all_accounts(db: Database):
    with db.session() as session:
        return session.execute(select(StaffAccount).order_by(StaffAccount.name)).scalars().all()


def account_named(db: Database, name: str) -> StaffAccount | None:
    with db.session() as session:
        return session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()


def check_password(db: Database, name: str, password: str) -> StaffAccount | None:
    """The active account with this name and password, or None. Slow on purpose (argon2): call it off the event loop."""
    account = account_named(db, name)
    try:
        _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return account if account is not None and account.active else None


# --- guessing brake -----------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """After `free` failures, each further failure makes the key wait `first` seconds, doubling up to `longest`."""

    free: int
    first: float
    longest: float

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.first * 2 ** (failures - self.free), self.longest)


# A name waits at most half a minute, so someone who knows a staff name and
# keeps guessing can slow its owner down but not lock them out; an address
# (where the guesses come from) waits up to 15 minutes.
NAME_BACKOFF = Backoff(free=3, first=1.0, longest=30.0)
ADDRESS_BACKOFF = Backoff(free=5, first=1.0, longest=15 * 60.0)
FORGET_AFTER = 60 * 60.0  # a key with no failure for an hour starts again from zero
MAX_KEYS = 10_000  # beyond this the longest-quiet keys are dropped: memory stays bounded


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    """A delay that grows with each failed login, per name and per address, in the bot service's memory.

    An attempt while a delay runs is refused without checking the password and
    does not lengthen the delay, so an attacker gets one guess per delay and
    the real user gets in once it is over. `by_name=False` (a browser the name
    logged in from before, see KnownDevices) leaves the name's delay out: a
    stranger who times guesses to take every free moment of a name still cannot
    keep its owner out. One process serves the console.
    """

    def __init__(
        self,
        name_backoff: Backoff = NAME_BACKOFF,
        address_backoff: Backoff = ADDRESS_BACKOFF,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._backoffs = {"name": name_backoff, "addr": address_backoff}
        self._max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()  # oldest failure first

    def retry_after(self, name: str, address: str, by_name: bool = True) -> int:
        """Seconds (rounded up) before this name from this address may try again; 0 when it may now."""
        now = self._clock()
        waits = [
            self._backoffs[kind].wait_after(entry.count) - (now - entry.last)
            for kind, entry in self._entries(name, address, by_name)
        ]
        return max([0, *(math.ceil(w) for w in waits)])

    def failed(self, name: str, address: str, by_name: bool = True) -> None:
        now = self._clock()
        for key in self._keys(name, address, by_name):
            entry = self._live(key, now)
            entry = _Failures(count=(entry.count if entry else 0) + 1, last=now)
            self._failures.pop(key, None)
            self._failures[key] = entry
        # Oldest failure first: forget the keys quiet for too long, then the oldest beyond the cap.
        while self._failures and (
            len(self._failures) > self._max_keys or now - next(iter(self._failures.values())).last > FORGET_AFTER
        ):
            self._failures.popitem(last=False)

    def succeeded(self, name: str) -> None:
        """The owner got in: the name starts again from zero (the address keeps its count)."""
        self._failures.pop(("name", name), None)

    def __len__(self) -> int:
        return len(self._failures)

    def _entries(self, name: str, address: str, by_name: bool) -> Iterable[tuple[str, _Failures]]:
        now = self._clock()
        for key in self._keys(name, address, by_name):
            entry = self._live(key, now)
            if entry:
                yield key[0], entry

    def _live(self, key: tuple[str, str], now: float) -> _Failures | None:
        entry = self._failures.get(key)
        if entry and now - entry.last > FORGET_AFTER:
            del self._failures[key]
            return None
        return entry

    @staticmethod
    def _keys(name: str, address: str, by_name: bool) -> Sequence[tuple[str, str]]:
        address_key = ("addr", _address_block(address))
        return (("name", name), address_key) if by_name else (address_key,)


DEVICE_DAYS = 30
DEVICE_FAILURES = 5  # wrong passwords from a known browser before it is a stranger again


@dataclass
class _Device:
    name: str
    issued: float
    failures: int = 0


class KnownDevices:
    """Browsers a name has logged in from: a random token in a cookie, its digest kept here.

    OWASP's "device cookie" against lockout: a login from such a browser skips
    the name's delay (its address's delay still applies). A token stolen with
    the browser is worth DEVICE_FAILURES guesses, then it is forgotten. Kept in
    memory, bounded like the throttle; a restart forgets them (the name's delay
    applies again until the next good login).
    """

    def __init__(self, max_devices: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max_devices
        self._clock = clock
        self._devices: OrderedDict[str, _Device] = OrderedDict()  # oldest first

    def known(self, token: str, name: str) -> bool:
        device = self._live(token)
        return device is not None and device.name == name

    def failed(self, token: str) -> None:
        device = self._live(token)
        if device is not None:
            device.failures += 1
            if device.failures >= DEVICE_FAILURES:
                del self._devices[_digest(token)]

    def logged_in(self, token: str, name: str) -> str:
        """The token the browser keeps: the one it has if it is this name's, else a new one."""
        if self.known(token, name):
            self._devices[_digest(token)].failures = 0
            return token
        token = secrets.token_urlsafe(32)
        self._devices[_digest(token)] = _Device(name=name, issued=self._clock())
        while len(self._devices) > self._max:
            self._devices.popitem(last=False)
        return token

    def _live(self, token: str) -> _Device | None:
        if not token:
            return None
        device = self._devices.get(_digest(token))
        if device is not None and self._clock() - device.issued > DEVICE_DAYS * 86400:
            del self._devices[_digest(token)]
            return None
        return device


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address_block(address: str) -> str:
    """An IPv6 address counts as its /64: one subscriber holds a whole /64 and can pick any address in it."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
