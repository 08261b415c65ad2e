"""The verdict as the assistant says it, from content/messages/offers.yml."""

from __future__ import annotations

from typing import Any

from bot.content import Templates
from bot.offers.checker import Verdict

# A phone screen: the strongest signs with one line each; the rest behind "xem thêm".
SIGNS_SHOWN = 3
# Room in one bubble for sign explanations, under the 1,000 characters a phone shows comfortably.
BUBBLE_CHARS = 850


def signs_in_bubbles(signs: dict[str, Any]) -> list[list[str]]:
    """Sign ids (of content.signs) grouped so that each group's titles and explanations fit one bubble."""
    bubbles: list[list[str]] = [[]]
    used = 0
    for sign_id, sign in signs.items():
        size = len(sign.title) + len(sign.explanation) + 6
        if bubbles[-1] and used + size > BUBBLE_CHARS:
            bubbles.append([])
            used = 0
        bubbles[-1].append(sign_id)
        used += size
    return bubbles


def sign_arguments(verdict: Verdict) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "title": s.title, "explanation": s.explanation, "evidence": list(s.evidence)}
        for s in verdict.signs
    ]


def shown_signs(verdict: Verdict) -> list[dict[str, Any]]:
    """The strongest signs, each quote once.

    A sign computed from another ("travel arranged abroad" from "bao ăn ở" plus a
    destination) has the same quote; on a phone one line of it is enough, and
    "xem thêm" still lists every sign.
    """
    shown: list[dict[str, Any]] = []
    quoted: set[str] = set()
    for sign in sign_arguments(verdict):
        first_quote = next(iter(sign["evidence"]), None)
        if first_quote in quoted:
            continue
        if first_quote is not None:
            quoted.add(first_quote)
        shown.append(sign)
    return shown[:SIGNS_SHOWN]


def verdict_arguments(verdict: Verdict) -> dict[str, Any]:
    """Plain values for the templates (they travel through Rasa as JSON)."""
    shown = shown_signs(verdict)
    return {
        "risk": verdict.risk,
        "score": round(verdict.score, 1),
        "signs": shown,
        "more_signs": len(verdict.signs) - len(shown),
        # The checks that matter differ for a job abroad (Japan as much as Cambodia) and one at home.
        "abroad": verdict.abroad,
        "reported": bool(verdict.reports),
        "unchecked_link": verdict.unchecked_links[0] if verdict.unchecked_links else "",
        # Raised by the learned score with no sign to show: said as "reads like ads that were traps", with the checks.
        "model_only": verdict.raised_by_model and not verdict.signs,
    }


def report_arguments(verdict: Verdict) -> dict[str, Any] | None:
    """The first report of a listed recruiter (contacts before a lure), for utter_offer_known_scam."""
    if not verdict.reports:
        return None
    first = verdict.reports[0]
    contacts = [r for r in verdict.reports if r.kind != "lure"]
    return {
        "listed_kind": first.kind,
        "value": first.quote or first.display,
        "checked": first.checked.strftime("%d/%m/%Y"),
        "source": first.source,
        "others": max(0, len(contacts) - 1),
    }


def resemblance_arguments(verdict: Verdict) -> dict[str, Any] | None:
    """The first listed domain one of the offer's sites resembles, for utter_offer_resembles_listed."""
    if not verdict.resembling:
        return None
    first = verdict.resembling[0]
    return {
        "resembling_link": first.quote,
        "listed_domain": first.display,
        "checked": first.checked.strftime("%d/%m/%Y"),
    }


def verdict_for_person(templates: Templates, verdict: Verdict, channel: str) -> str:
    """The reply a user would read, as plain text (for the command line)."""
    parts: list[str] = []
    reported = report_arguments(verdict)
    if reported is not None:
        parts.append(templates.render("utter_offer_known_scam", channel, reported, {})["text"])
    resembled = resemblance_arguments(verdict)
    if resembled is not None:
        parts.append(templates.render("utter_offer_resembles_listed", channel, resembled, {})["text"])
    parts.append(templates.render("utter_offer_verdict", channel, verdict_arguments(verdict), {})["text"])
    if verdict.risk != "unclear":
        parts.append(templates.render("utter_offer_next_steps", channel, {"risk": verdict.risk}, {})["text"])
    for question in verdict.questions[:1]:
        parts.append(templates.render("utter_offer_question", channel, {"question": question.text}, {})["text"])
    return "\n\n".join(parts)
