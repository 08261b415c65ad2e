"""A follow-up about an offer already checked: a new fact can only add to the verdict.

"They also want 500k for the uniform" after a verdict is a fact about the same
offer, not a new ad. The earlier signs stay, the new ones join them, and the
risk never falls below what the user was already told: a flagged offer must
not turn harmless because a later message was short.
"""

from __future__ import annotations

from dataclasses import replace

from bot.offers.checker import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker, SignFound, Verdict

RISK_ORDER = (UNCLEAR, LOW, MEDIUM, HIGH)


def higher_risk(one: str, other: str) -> str:
    return max(one, other, key=RISK_ORDER.index)


def with_new_fact(checker: OfferChecker, earlier: Verdict, original_text: str, new_text: str) -> Verdict:
    """The verdict on the offer once `new_text` is added to what the user sent before."""
    recheck = getattr(checker, "recheck", None)  # the checker's own update, where it has one
    # Read with what came before: "làm ở campuchia" turns the earlier "lương 25tr" into a sign.
    whole = original_text + "\n" + new_text
    updated = recheck(earlier, whole) if recheck else checker.check(whole)
    known = {sign.id for sign in updated.signs}
    signs = updated.signs + tuple(sign for sign in earlier.signs if sign.id not in known)
    risk = higher_risk(updated.risk, earlier.risk)
    return replace(updated, risk=risk, score=max(updated.score, earlier.score), signs=signs)


def new_signs(earlier: Verdict, updated: Verdict) -> tuple[SignFound, ...]:
    known = {sign.id for sign in earlier.signs}
    return tuple(sign for sign in updated.signs if sign.id not in known)


def after_answer(earlier_risk: str, rescored_risk: str) -> str:
    """An answer to the checker's own question may lower the risk, but never a flagged offer to low."""
    floor = MEDIUM if earlier_risk in (MEDIUM, HIGH) else UNCLEAR
    return higher_risk(rescored_risk, floor)
