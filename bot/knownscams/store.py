"""The list in the application database: its entries, the lure bands, adding, removing and looking up.

An entry is a fact like every fact in content/: it has a source and the date
it was last checked. No entry is about a user (the list holds recruiters'
contacts and lure texts), so the tables have no user_key. The verified hotlines
(content/hotlines.yml) can never be entries: `ListEditor` refuses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import BigInteger, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Session

from bot.knownscams import lookalike, similar
from bot.knownscams import normalise as n
from bot.knownscams.extract import Contact, find_contacts
from bot.store import AuditEntry, Base, Database, utcnow

MAX_SOURCE_CHARS = 300
MAX_NOTE_CHARS = 500
MAX_LURE_CHARS = 5000
IMPORT_CHUNK = 1000
# A lure is compared exactly with the entries sharing the most bands with it, at most this many.
LURE_CANDIDATES = 8


class KnownScamEntry(Base):
    __tablename__ = "known_scams"

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)
    value = Column(Text, nullable=False)  # normalised (bot/knownscams/normalise.py)
    # The value's SHA-256: the index a lookup uses, short whatever the value's length (a lure's text).
    value_hash = Column(String(64), nullable=False)
    display = Column(Text, nullable=False)  # as the source wrote it
    source = Column(String(MAX_SOURCE_CHARS), nullable=False)
    checked = Column(Date, nullable=False)
    note = Column(Text, nullable=False, default="")
    added_by = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    # value_hash first: a lookup asks for values whatever their kind.
    __table_args__ = (Index("ux_known_scams_value_kind", "value_hash", "kind", unique=True),)


class KnownScamBand(Base):
    """An entry's index keys: the LSH bands of a lure's MinHash signature (bot/knownscams/similar.py),
    or a domain's name keys (lookalike.name_keys), which find the domains that resemble it."""

    __tablename__ = "known_scam_bands"

    id = Column(Integer, primary_key=True)
    entry_id = Column(ForeignKey("known_scams.id", ondelete="CASCADE"), nullable=False, index=True)
    key = Column(BigInteger, nullable=False, index=True)


TABLES = [KnownScamEntry.__table__, KnownScamBand.__table__]


class KnownScamError(ValueError):
    """A value that cannot be listed.

    `code` names the reason: the console says it in Vietnamese from the code
    (bot/templates/console/_list_refusals.html); the message says it in
    English for the import's `file:line` lines, which whoever runs the command
    reads next to the file.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Report:
    """An offer matched the list: what matched, and the entry's source and date."""

    kind: str
    display: str
    source: str
    checked: dt.date
    note: str
    quote: str  # the offer's words that matched (empty for a lure)
    # The offer's domain only resembles the listed one (lookalike.resembles): said so, never "reported".
    lookalike: bool = False


@dataclass(frozen=True)
class Candidate:
    """A value to list, read and checked but not stored yet."""

    kind: str
    value: str
    display: str
    source: str
    checked: dt.date
    note: str = ""


def value_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Protected:
    """Contacts that may never be listed: the verified hotlines' numbers and the domains of their addresses."""

    phones: frozenset[str]
    domains: frozenset[str]

    @classmethod
    def from_hotlines(cls, hotlines: Iterable) -> Protected:
        phones, domains = set(), set()
        for hotline in hotlines:
            for field in (hotline.dial, hotline.number):
                number = n.phone(field or "")
                if number:
                    phones.add(number)
                elif field and "." in field:
                    domains.add(n.domain(field) or "")
            if hotline.email:
                domains.add(hotline.email.rsplit("@", 1)[-1].lower())
        return cls(frozenset(phones), frozenset(d for d in domains if d))

    def refuses(self, kind: str, value: str) -> bool:
        if kind in (n.PHONE, n.ZALO):
            return value in self.phones
        return kind == n.DOMAIN and value in self.domains


def candidate(
    kind: str, value: str, source: str, checked: str | dt.date, protected: Protected, note: str = ""
) -> Candidate:
    """The entry a row or a form describes, or KnownScamError saying what is wrong with it."""
    kind = (kind or "").strip().lower()
    if kind not in n.KINDS:
        raise KnownScamError("unknown_kind", f"kind '{kind}' is not one of {', '.join(n.KINDS)}")
    display = (value or "").strip()
    if not display:
        raise KnownScamError("empty", "value is empty")
    if kind == n.LURE and len(display) > MAX_LURE_CHARS:
        raise KnownScamError("lure_too_long", f"the lure text is longer than {MAX_LURE_CHARS} characters")
    normalised = n.normalised(kind, display)
    if normalised is None:
        raise KnownScamError("unreadable", f"'{display[:60]}' cannot be read as a {kind}")
    if protected.refuses(kind, normalised):
        raise KnownScamError(
            "hotline", f"'{display}' is a verified hotline (content/hotlines.yml) and can never be listed"
        )
    if kind == n.LURE and len(similar.shingles(normalised.split())) < similar.MIN_SHINGLES:
        raise KnownScamError(
            "lure_too_short",
            f"the lure text is too short to match reliably (at least {similar.MIN_SHINGLES + 2} words)",
        )
    source = (source or "").strip()
    if not source:
        raise KnownScamError("no_source", "source is missing: who reported or verified it")
    if len(source) > MAX_SOURCE_CHARS:
        raise KnownScamError("source_too_long", f"source is longer than {MAX_SOURCE_CHARS} characters")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise KnownScamError("note_too_long", f"note is longer than {MAX_NOTE_CHARS} characters")
    return Candidate(kind, normalised, display, source, _checked_date(checked), note)


def _checked_date(checked: str | dt.date) -> dt.date:
    if isinstance(checked, dt.date):
        day = checked
    else:
        try:
            day = dt.date.fromisoformat((checked or "").strip())
        except ValueError:
            raise KnownScamError("bad_date", f"checked date '{checked}' is not a date like 2026-03-15") from None
    if day > dt.date.today():
        raise KnownScamError("future_date", f"checked date {day} is in the future")
    return day


class KnownScams:
    """The lookup the checker uses: the reports an offer matches, contacts first, then a near-duplicate lure."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def reports(self, text: str) -> tuple[Report, ...]:
        with self.db.session() as session:
            contacts = find_contacts(text)
            listed = self._contacts(session, contacts)
            resembling = self._lookalikes(session, contacts, {r.quote for r in listed})
            found = listed + resembling + self._lures(session, text)
        return tuple(found)

    @staticmethod
    def _lookalikes(session: Session, contacts: Sequence[Contact], reported: set[str]) -> list[Report]:
        """The listed domains that the offer's other domains resemble (shopee-vn.top for shopee-vn.xyz), one each."""
        domains = {c.value: c.quote for c in contacts if c.kind == n.DOMAIN and c.quote not in reported}
        keys = {key for domain in domains for key in lookalike.name_keys(domain)}
        if not keys:
            return []
        listed = session.execute(
            select(KnownScamEntry)
            .join(KnownScamBand, KnownScamBand.entry_id == KnownScamEntry.id)
            .where(KnownScamBand.key.in_(keys), KnownScamEntry.kind == n.DOMAIN)
            .order_by(KnownScamEntry.id)
        ).scalars()
        rows = list(dict.fromkeys(listed))
        found = {}
        for domain, quote in domains.items():
            row = next((row for row in rows if lookalike.resembles(domain, row.value)), None)
            if row is not None:
                found[domain] = replace(_report(row, quote), lookalike=True)
        return list(found.values())

    @staticmethod
    def _contacts(session: Session, found: Sequence[Contact]) -> list[Report]:
        contacts = {(c.kind, c.value): c for c in found}
        # A Zalo account listed by its number is that number wherever the offer writes it.
        contacts.update({(n.ZALO, c.value): c for c in list(contacts.values()) if c.kind == n.PHONE})
        if not contacts:
            return []
        hashes = {value_hash(value) for _, value in contacts}
        rows = session.execute(select(KnownScamEntry).where(KnownScamEntry.value_hash.in_(hashes))).scalars()
        reports = [
            _report(row, contacts[(row.kind, row.value)].quote) for row in rows if (row.kind, row.value) in contacts
        ]
        return sorted(reports, key=lambda r: n.KINDS.index(r.kind))

    @staticmethod
    def _lures(session: Session, text: str) -> list[Report]:
        """The listed lure this text nearly repeats, if any.

        A near-duplicate shares many bands (at Jaccard 0.5, five of forty on
        average; an unrelated lure, almost none), so only the entries sharing
        the most bands are compared exactly: the work stays bounded however
        many lures look alike.
        """
        offer = similar.shingles(n.lure_words(text))
        if len(offer) < similar.MIN_SHINGLES:
            return []
        shared = func.count(KnownScamBand.id)
        candidates = session.execute(
            select(KnownScamBand.entry_id)
            .where(KnownScamBand.key.in_(similar.bands(offer)))
            .group_by(KnownScamBand.entry_id)
            .order_by(shared.desc())
            .limit(LURE_CANDIDATES)
        ).scalars()
        values = session.execute(
            select(KnownScamEntry.id, KnownScamEntry.value).where(
                KnownScamEntry.id.in_(list(candidates)), KnownScamEntry.kind == n.LURE
            )
        ).all()
        scored = [(similar.similarity(offer, similar.shingles(value.split())), entry_id) for entry_id, value in values]
        same = [entry_id for s, entry_id in sorted(scored, key=lambda pair: -pair[0].jaccard) if s.same_lure]
        if not same:
            return []
        return [_report(session.get(KnownScamEntry, same[0]), "")]


def _report(row: KnownScamEntry, quote: str) -> Report:
    return Report(row.kind, row.display, row.source, row.checked, row.note or "", quote)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


class ListEditor:
    """Adding and removing entries, each with an audit entry; never a verified hotline."""

    def __init__(self, db: Database, protected: Protected) -> None:
        self.db = db
        self.protected = protected

    def add(
        self, kind: str, value: str, source: str, checked: str | dt.date, added_by: str, note: str = ""
    ) -> KnownScamEntry:
        entry = candidate(kind, value, source, checked, self.protected, note)
        with self.db.session() as session:
            if _existing(session, entry) is not None:
                raise KnownScamError("listed", f"{entry.kind} '{entry.display}' is already listed")
            return _insert(session, entry, added_by)

    def remove(self, entry_id: int, removed_by: str, reason: str = "") -> None:
        with self.db.session() as session:
            row = session.get(KnownScamEntry, entry_id)
            if row is None:
                raise KnownScamError("no_entry", f"no entry #{entry_id}")
            session.execute(KnownScamBand.__table__.delete().where(KnownScamBand.entry_id == entry_id))
            session.delete(row)
            _audit(session, removed_by, "known_scam_removed", row, reason)

    def add_all(self, entries: Sequence[Candidate], added_by: str) -> ImportResult:
        """Checked entries in one transaction: a listed value gets the later checked date and its source."""
        added = updated = unchanged = 0
        with self.db.session() as session:
            for start in range(0, len(entries), IMPORT_CHUNK):
                chunk = entries[start : start + IMPORT_CHUNK]
                listed = _existing_rows(session, chunk)
                new = []
                for entry in chunk:
                    row = listed.get((entry.kind, entry.value))
                    if row is None:
                        new.append(entry)
                    elif entry.checked > row.checked:
                        row.checked, row.source, row.note = entry.checked, entry.source, entry.note or row.note
                        _audit(session, added_by, "known_scam_rechecked", row)
                        updated += 1
                    else:
                        unchanged += 1
                _insert_all(session, new, added_by)
                added += len(new)
        return ImportResult(added, updated, unchanged)

    def entries(self) -> list[KnownScamEntry]:
        with self.db.session() as session:
            return list(session.execute(select(KnownScamEntry).order_by(KnownScamEntry.id)).scalars())


def _existing(session: Session, entry: Candidate) -> KnownScamEntry | None:
    return session.execute(
        select(KnownScamEntry).where(
            KnownScamEntry.kind == entry.kind, KnownScamEntry.value_hash == value_hash(entry.value)
        )
    ).scalar_one_or_none()


def _existing_rows(session: Session, entries: Sequence[Candidate]) -> dict[tuple[str, str], KnownScamEntry]:
    hashes = {value_hash(e.value) for e in entries}
    rows = session.execute(select(KnownScamEntry).where(KnownScamEntry.value_hash.in_(hashes))).scalars()
    return {(row.kind, row.value): row for row in rows}


def _insert(session: Session, entry: Candidate, added_by: str) -> KnownScamEntry:
    return _insert_all(session, [entry], added_by)[0]


def _insert_all(session: Session, entries: Sequence[Candidate], added_by: str) -> list[KnownScamEntry]:
    rows = [
        KnownScamEntry(
            kind=e.kind,
            value=e.value,
            value_hash=value_hash(e.value),
            display=e.display,
            source=e.source,
            checked=e.checked,
            note=e.note,
            added_by=added_by,
        )
        for e in entries
    ]
    session.add_all(rows)
    session.flush()  # the ids, for the bands and the audit
    for row in rows:
        session.add_all(KnownScamBand(entry_id=row.id, key=key) for key in _index_keys(row))
        _audit(session, added_by, "known_scam_added", row)
    return rows


def _index_keys(row: KnownScamEntry) -> list[int]:
    if row.kind == n.LURE:
        return similar.bands(similar.shingles(row.value.split()))
    if row.kind == n.DOMAIN and lookalike.indexed(row.value):
        return lookalike.name_keys(row.value)
    return []


def _audit(session: Session, staff_name: str, action: str, row: KnownScamEntry, reason: str = "") -> None:
    # The audit holds the kind and id, and a recruiter's contact (never a user's).
    shown = row.display if row.kind != n.LURE else row.display[:40] + "…"
    detail = f"{row.kind} #{row.id} {shown} (source: {row.source})" + (f"; {reason}" if reason else "")
    session.add(AuditEntry(staff_name=staff_name[:64], action=action, detail=detail[:200]))
