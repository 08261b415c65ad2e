"""Domains that borrow a brand's name (shopee-vn.xyz, shoppee.com, shopee.tuyendung.xyz), from the name alone.

Nothing is fetched: a user-supplied link is never opened from the server
(docs/security.md), so a domain is judged by how it is written. A domain
whose own name is exactly a brand's (shopee.vn) is not called a lookalike,
and not called official either: whether it is the brand's real site cannot
be told from here, and the assistant says so (utter_offer_verdict).
"""

from __future__ import annotations

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
    compact = sorted({b.replace(" ", "").lower() for b in brands if b.strip()}, key=len, reverse=True)
    if name in compact:
        return None
    for brand in compact:
        if _borrows(name, brand) or any(_borrows(label, brand) or label == brand for label in subdomains):
            return brand
    return None


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
