"""One written form for every contact a recruiter leaves, so that a listed one is found however it is typed.

"0912 345 678", "+84 912.345.678" and "84912345678" are one number; "https://www.
Shopee-VN.xyz/tuyen-dung" and "shopee-vn.xyz" one site; "Công ty TNHH Thành Đạt"
and "THANH DAT CO., LTD" one company. Each normaliser returns None for a value
it cannot read as its kind (the import names that row).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from urllib.parse import urlsplit

from nlu.normalise import fold_char

PHONE, ZALO, TELEGRAM, FACEBOOK, DOMAIN, SHORT_LINK, COMPANY, LURE = (
    "phone",
    "zalo",
    "telegram",
    "facebook",
    "domain",
    "short_link",
    "company",
    "lure",
)
KINDS = (PHONE, ZALO, TELEGRAM, FACEBOOK, DOMAIN, SHORT_LINK, COMPANY, LURE)

# The 2018 change of 11-digit mobile numbers to 10 digits: the old network code
# becomes the new one, the last 7 digits stay (Bộ TT&TT, 29/5/2018; table as
# published by plo.vn 5/2018 and gsm.vn). Old numbers still circulate in reposted lures.
OLD_MOBILE_PREFIXES = {
    "0120": "070",
    "0121": "079",
    "0122": "077",
    "0126": "076",
    "0128": "078",
    "0123": "083",
    "0124": "084",
    "0125": "085",
    "0127": "081",
    "0129": "082",
    "0162": "032",
    "0163": "033",
    "0164": "034",
    "0165": "035",
    "0166": "036",
    "0167": "037",
    "0168": "038",
    "0169": "039",
    "0186": "056",
    "0188": "058",
    "0199": "059",
}
# Link shorteners: the whole short link is the recruiter's (bit.ly itself is not).
SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.ly",
        "rb.gy",
        "cutt.ly",
        "shorturl.at",
        "is.gd",
        "goo.gl",
        "tiny.cc",
        "s.id",
        "rebrand.ly",
        "ow.ly",
        "buff.ly",
        "shorten.asia",
        "link1s.com",
    }
)
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
FACEBOOK_HOSTS = frozenset({"facebook.com", "fb.com", "m.facebook.com", "mbasic.facebook.com", "web.facebook.com"})
ZALO_HOSTS = frozenset({"zalo.me", "chat.zalo.me"})
# Words that say what kind of company it is, not which one.
LEGAL_FORMS = (
    "cong ty trach nhiem huu han",
    "trach nhiem huu han",
    "mot thanh vien",
    "hai thanh vien tro len",
    "hai thanh vien",
    "cong ty co phan",
    "co phan",
    "cong ty",
    "doanh nghiep tu nhan",
    "tap doan",
    "chi nhanh",
    "tnhh",
    "mtv",
    "dntn",
    "cty",
    "cp",
    "jsc",
    "co ltd",
    "company limited",
    "limited",
    "ltd",
    "llc",
    "inc",
    "corp",
    "corporation",
    "company",
)
_LEGAL_FORM = re.compile(r"\b(?:" + "|".join(f.replace(" ", r"\s+") for f in LEGAL_FORMS) + r")\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_HANDLE_CHARS = re.compile(r"^[A-Za-z0-9_.]{3,64}$")


@cache
def _folded_char(char: str) -> str:
    return fold_char(char)


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """nlu.normalise.fold, a character at a time from a cache: a lookup folds one offer twice (companies, lure)."""
    return "".join(map(_folded_char, unicodedata.normalize("NFC", text).lower()))


def phone(text: str) -> str | None:
    """A Vietnamese number as +84 and its 9 or 10 digits; a foreign one as + and its digits; a short code as is.

    None when it is not a number (letters, too few or too many digits).
    """
    raw = text.strip()
    if not raw or re.search(r"[^\d\s.+()\-]", raw):
        return None
    international = raw.startswith("+") or raw.startswith("00")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("00"):
        digits = digits[2:]
    if international or (digits.startswith("84") and len(digits) in (11, 12)):
        if digits.startswith("84"):
            return _vietnamese("0" + digits[2:])
        return "+" + digits if 7 <= len(digits) <= 15 else None
    if digits.startswith("0"):
        return _vietnamese(digits)
    # 111, 113, 5656, 1800 xxxx, 1900 xxxx: dialled as written inside Viet Nam.
    return digits if 3 <= len(digits) <= 10 else None


def _vietnamese(national: str) -> str | None:
    """A number written with its leading 0 ("0912345678", "02439…") as +84…"""
    if len(national) == 11 and national[:4] in OLD_MOBILE_PREFIXES:
        national = OLD_MOBILE_PREFIXES[national[:4]] + national[4:]
    if len(national) not in (10, 11):
        return None
    return "+84" + national[1:]


def _split_link(text: str):
    raw = text.strip().strip("<>()[]\"'")
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    return host, parts.path.strip("/"), parts.query


def domain(text: str) -> str | None:
    """The host of a link or a bare domain, lowercase, without scheme, "www.", port or path."""
    parts = _split_link(text)
    return parts[0] if parts else None


def short_link(text: str) -> str | None:
    """A shortener's link kept whole ("bit.ly/AbC12": the code is case-sensitive), without scheme or query."""
    parts = _split_link(text)
    if parts is None or parts[0] not in SHORTENERS or not parts[1]:
        return None
    return f"{parts[0]}/{parts[1]}"


def _handle(text: str, hosts: frozenset[str]) -> tuple[str, str] | None:
    """(host, first path segment) of a platform link, or ("", handle) for a bare name or @name."""
    raw = text.strip()
    if raw.startswith("@"):
        raw = raw[1:]
    if "/" in raw or raw.lower().split(".", 1)[0] in ("t", "telegram", "zalo", "facebook", "fb", "m", "www"):
        parts = _split_link(raw)
        if parts is None or parts[0] not in hosts or not parts[1]:
            return None
        return parts[0], parts[1]
    return ("", raw) if _HANDLE_CHARS.match(raw) else None


def telegram(text: str) -> str | None:
    """A Telegram username (case-insensitive on Telegram), from t.me/x, @x or x."""
    found = _handle(text, TELEGRAM_HOSTS)
    if found is None:
        return None
    name = found[1].split("/")[0]
    return name.lower() if re.fullmatch(r"[A-Za-z0-9_]{4,32}", name) else None


def facebook(text: str) -> str | None:
    """A Facebook page or profile: its username (lowercase), or "id:<number>" for profile.php?id=…"""
    raw = text.strip()
    parts = _split_link(raw) if "/" in raw else None
    if parts is not None and parts[0] in FACEBOOK_HOSTS:
        path, query = parts[1], parts[2]
        if path == "profile.php":
            number = re.search(r"(?:^|&)id=(\d+)", query)
            return f"id:{number.group(1)}" if number else None
        segments = path.split("/")
        # facebook.com/groups/<name>, facebook.com/people/<name>/<id>: the segment that names it.
        if segments[0] in ("groups", "pages") and len(segments) > 1:
            return f"{segments[0]}/{segments[1].lower()}"
        if segments[0] == "people" and len(segments) > 2:
            return f"id:{segments[2]}" if segments[2].isdigit() else None
        name = segments[0]
    elif parts is None and "/" not in raw:
        name = raw[1:] if raw.startswith("@") else raw
    else:
        return None
    return name.lower() if re.fullmatch(r"[A-Za-z0-9.]{5,50}", name) else None


def zalo(text: str) -> str | None:
    """A Zalo account: the phone number behind zalo.me/<number> (+84…), or the id of any other zalo.me link."""
    raw = text.strip()
    number = phone(raw)
    if number is not None:
        return number
    found = _handle(raw, ZALO_HOSTS)
    if found is None or not found[0]:
        return None
    path = found[1]
    number = phone(path) if path.isdigit() else None
    return number or path


def company(text: str) -> str | None:
    """Folded (no diacritics, lowercase, no punctuation) and without its legal form ("TNHH", "Co., Ltd")."""
    words = _NOT_WORD.sub(" ", fold(text)).strip()
    name = " ".join(_LEGAL_FORM.sub(" ", words).split())
    return name or None


def lure_words(text: str) -> list[str]:
    """The words of a text, folded: spacing, case, punctuation, emoji and diacritics do not count."""
    return _NOT_WORD.sub(" ", fold(text)).split()


def lure(text: str) -> str | None:
    words = lure_words(text)
    return " ".join(words) if words else None


NORMALISERS = {
    PHONE: phone,
    ZALO: zalo,
    TELEGRAM: telegram,
    FACEBOOK: facebook,
    DOMAIN: domain,
    SHORT_LINK: short_link,
    COMPANY: company,
    LURE: lure,
}


def normalised(kind: str, value: str) -> str | None:
    """The stored form of a value of this kind, or None when it cannot be read as one."""
    if kind not in NORMALISERS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    return NORMALISERS[kind](value)
