"""The contacts an offer leaves: phone numbers, chat accounts, links and domains, company names.

Each is returned in its normalised form (bot/knownscams/normalise.py) with the
words as written, so the list can be searched for it and the user shown what
was found. The checker's own "@handle or chat link" pattern (the
chat-only-contact sign) is the one defined here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knownscams import normalise as n

# An @handle, not the domain of an e-mail address ("hr@gmail.com", "@gmail.com"); or a t.me / zalo.me link.
HANDLE_OR_CHAT_LINK = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{4,}(?![\w]*\.\w)|\b(?:t\.me|zalo\.me)/\S+")
_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z0-9_.]{4,})(?![\w]*\.\w)")
# Digits with the spaces, dots and dashes people type between them; "+84" or "0084" before.
_PHONE = re.compile(r"(?<![\w+.,])(?:\+|00)?\d[\d .\-()]{6,18}\d(?![\w]|[.,]\d)")
# A link or a bare domain; not the part after "@" of an e-mail address.
_LINK = re.compile(
    r"(?<![@\w.\-/])(?:https?://)?(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)
_COMPANY_START = re.compile(r"\b(?:cong ty|cty|tap doan)\b")
_COMPANY_END = re.compile(r"[,;:!?\n()\[\]|]| - |\. ")
COMPANY_WORDS = 8


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str  # normalised
    quote: str  # as written in the offer


def find_contacts(text: str) -> list[Contact]:
    """Every contact in the text, each (kind, value) once, in the order found."""
    found: dict[tuple[str, str], Contact] = {}
    for contact in [*_phones(text), *_links(text), *_handles(text), *_companies(text)]:
        found.setdefault((contact.kind, contact.value), contact)
    return list(found.values())


def _phones(text: str) -> list[Contact]:
    contacts = []
    for match in _PHONE.finditer(text):
        quote = match.group().strip(" .-()")
        value = n.phone(quote)
        # A subscriber number (+…) or a 1800/1900 line; not an amount ("15.000.000") or a short code.
        if value and (value.startswith("+") or re.fullmatch(r"1[89]00\d{4,6}", value)):
            contacts.append(Contact(n.PHONE, value, quote))
    return contacts


# Generic endings a bare domain is read by (country codes are any two letters). A name
# with a dot and another ending ("Co.opmart", "T.Hùng") is a name, not a site to open;
# written with "http", "www." or a path it is a link whatever its ending.
# fmt: off
GENERIC_TLDS = frozenset({
    "com", "net", "org", "info", "biz", "xyz", "top", "vip", "club", "online", "site", "store", "shop",
    "shopping", "app", "link", "live", "asia", "pro", "icu", "work", "fun", "buzz", "click", "tech",
    "space", "website", "world", "life", "email", "today", "win", "bid", "loan", "money", "cash",
    "finance", "bet", "casino", "games", "game", "one", "cyou", "lol", "monster", "io", "tv", "cc", "ws",
})
# fmt: on
_WRITTEN_AS_A_LINK = re.compile(r"^(?:https?://|www\.)|/", re.IGNORECASE)


def web_links(text: str) -> list[Contact]:
    """The links to websites and short links (not chat or social accounts): what a user might open."""
    return [c for c in _links(text) if c.kind in (n.DOMAIN, n.SHORT_LINK) and _openable(c)]


def _openable(link: Contact) -> bool:
    ending = link.value.split("/", 1)[0].rsplit(".", 1)[-1]
    return bool(_WRITTEN_AS_A_LINK.search(link.quote)) or len(ending) == 2 or ending in GENERIC_TLDS


def _links(text: str) -> list[Contact]:
    contacts = []
    for match in _LINK.finditer(text):
        quote = match.group().rstrip(".,;:!?")
        host = n.domain(quote)
        if host is None or _looks_like_a_number(host):
            continue
        if host in n.TELEGRAM_HOSTS:
            contacts += _one(n.TELEGRAM, n.telegram(quote), quote)
        elif host in n.FACEBOOK_HOSTS:
            contacts += _one(n.FACEBOOK, n.facebook(quote), quote)
        elif host in n.ZALO_HOSTS:
            value = n.zalo(quote)
            contacts += _one(n.PHONE if value and value.startswith("+") else n.ZALO, value, quote)
        elif host in n.SHORTENERS:
            contacts += _one(n.SHORT_LINK, n.short_link(quote), quote)
        else:
            contacts.append(Contact(n.DOMAIN, host, quote))
    return contacts


def _handles(text: str) -> list[Contact]:
    """A bare @name: on Telegram most often, a Facebook name sometimes; both are looked up."""
    contacts = []
    for match in _HANDLE.finditer(text):
        quote = match.group().rstrip(".")
        contacts += _one(n.TELEGRAM, n.telegram(quote), quote)
        contacts += _one(n.FACEBOOK, n.facebook(quote), quote)
    return contacts


def _companies(text: str) -> list[Contact]:
    """Every run of up to COMPANY_WORDS words after "công ty", "cty", "tập đoàn", shortest first.

    The list holds names without their legal form, so each prefix is a name the list may hold.
    """
    folded = n.fold(text)
    contacts = []
    for match in _COMPANY_START.finditer(folded):
        tail = folded[match.start() : match.start() + 120]
        end = _COMPANY_END.search(tail)
        words = (tail[: end.start()] if end else tail).split()
        quote_words = text[match.start() : match.start() + len(tail)].split()
        for count in range(2, min(len(words), COMPANY_WORDS + 2) + 1):
            value = n.company(" ".join(words[:count]))
            if value:
                contacts.append(Contact(n.COMPANY, value, " ".join(quote_words[:count]).strip(".,;:!?")))
    return contacts


def _one(kind: str, value: str | None, quote: str) -> list[Contact]:
    return [Contact(kind, value, quote)] if value else []


def _looks_like_a_number(host: str) -> bool:
    return bool(re.fullmatch(r"[\d.]+", host))
