"""Domains that borrow a brand's name (shopee-vn.xyz, shoppee.com, shopee.tuyendung.xyz), from the name alone.

Nothing is fetched: a user-supplied link is never opened from the server
(docs/security.md), so a domain is judged by how it is written. A domain
whose own name is exactly a brand's (shopee.vn) is not called a lookalike,
and not called official either: whether it is the brand's real site cannot
be told from here, and the assistant says so (utter_offer_verdict).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# Second-level labels under a country code ("com.vn", "co.uk"): the name is the label before them.
SECOND_LEVEL = frozenset({"com", "net", "org", "edu", "gov", "co", "info", "biz", "name", "ac", "int", "pro"})
# A brand name shorter than this is matched as a whole word only ("tiki-vn"), never inside
# another word or by one letter changed: too many ordinary names are one letter from "grab".
SHORT_BRAND = 5
_SEPARATORS = re.compile(r"[-_0-9]+")


def name_and_subdomains(domain: str) -> tuple[str, list[str]]:
    """("shopee-vn", ["tuyendung"]) for "tuyendung.shopee-vn.xyz": the registered name and what is before it."""
    labels = domain.lower().split(".")
    cut = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else 2
    if len(labels) < cut:
        return labels[0], []
    return labels[-cut], labels[:-cut]


def imitated_brand(domain: str, brands: Iterable[str]) -> str | None:
    """The brand a domain's name imitates without being it, or None."""
    name, subdomains = name_and_subdomains(domain)
    compact = _compact(brands)
    if name in compact:
        return None
    for brand in compact:
        if _borrows(name, brand) or any(_borrows(label, brand) or label == brand for label in subdomains):
            return brand
    return None


def named_as_brand(domain: str, brands: Iterable[str]) -> bool:
    """A domain whose own name is exactly a brand's (shopee.vn): maybe the brand's site, which cannot be told."""
    return name_and_subdomains(domain)[0] in _compact(brands)


def _compact(brands: Iterable[str]) -> list[str]:
    """The brands as a domain would write them, longest first."""
    return sorted({b.replace(" ", "").lower() for b in brands if b.strip()}, key=len, reverse=True)


def _borrows(name: str, brand: str) -> bool:
    if brand in _SEPARATORS.split(name):
        return True
    if len(brand) < SHORT_BRAND:
        return False
    return brand in name or one_edit_apart(name, brand)


def one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed ("shoppee", "lazadda", "amazom")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):  # b is one longer, or as long
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True  # b is a with one letter more at the end


# --- domains that resemble a listed domain (bot/knownscams/store.py) -----------------------


def resembles(domain: str, listed: str) -> bool:
    """A domain that is not a listed one but passes for it: the same registered name under
    another suffix or subdomain (shopee-vn.top, jobs.shopee-vn.xyz for shopee-vn.xyz), or a
    name one letter apart (shopee-vn1.xyz; names of SHORT_BRAND letters or more)."""
    if domain == listed:
        return False
    name, listed_name = name_and_subdomains(domain)[0], name_and_subdomains(listed)[0]
    if name == listed_name:
        return True
    return min(len(name), len(listed_name)) >= SHORT_BRAND and one_edit_apart(name, listed_name)


def indexed(listed: str) -> bool:
    """Whether a listed domain is compared with others by name: only a registered domain itself.

    A listed site under a shared host (x.blogspot.com, sites.google.com) says
    nothing about the host's other sites, so its name ("blogspot") is not one
    to compare with.
    """
    return not name_and_subdomains(listed)[1]


def name_keys(domain: str) -> list[int]:
    """Index keys shared by two domains that may resemble each other (then `resembles` decides).

    The registered name, and for a name long enough to compare letter by
    letter the name and each form of it one letter shorter: two names one
    edit apart always share one of those (a symmetric-deletion index), so a
    lookup is one indexed query whatever the list's size.
    """
    name = name_and_subdomains(domain)[0]
    keys = {"=" + name}
    if len(name) >= SHORT_BRAND:
        keys |= {"~" + name} | {"~" + name[:i] + name[i + 1 :] for i in range(len(name))}
    return sorted(_key(k) for k in keys)


def _key(text: str) -> int:
    # 63 bits, like the lure bands in the same indexed column (similar.bands); "domain" keeps them apart.
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8, person=b"domain").digest(), "little") >> 1
