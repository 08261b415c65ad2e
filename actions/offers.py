"""Checking a job offer in the conversation, then talking about that offer.

The offer the user sent and the verdict they were told are kept in the
`offer_check` slot, so that a follow-up ("is the pay high?", "they also want a
deposit") is answered about that offer instead of being checked as a new ad.
"""

import logging
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.handoff import offer_handoff
from actions.referrals import money_already_paid, refer, writes_from_abroad_now
from actions.runtime import count, database, latest_text, live_content, sent_a_screenshot
from bot.knownscams.store import KnownScams, Report
from bot.offers import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker, Verdict
from bot.offers.followup import after_answer, higher_risk, new_signs, with_new_fact
from bot.offers.ocr import OcrUnavailable, text_from_image_url
from bot.offers.reply import report_arguments, resemblance_arguments, sign_arguments, verdict_arguments
from nlu.answers import (
    OFFER_TEXT,
    OPEN_QUESTION,
    VERDICT,
    followup_topic,
    is_clear_no,
    is_more_request,
    opens_with_no,
)

OFFER_CHECK = "offer_check"
# Follow-up topics answered by a message of their own (the others share utter_offer_followup).
ANSWERS_OF_THEIR_OWN = {
    "do": "utter_offer_next_steps",  # "vậy phải làm gì": the steps, not the signs again
    "papers": "utter_offer_papers",  # "cần mang giấy tờ gì": copies for the file, the originals kept
    "decline": "utter_offer_declined",  # "thôi e ko đi nữa": the decision stands; if they keep writing
    "need": "utter_offer_need_money",  # "nhưng e cần tiền lắm": the need the trap feeds on, safer places
}
ANSWERS_BY_INTENT = {"affirm": "yes", "deny": "no"}
ANSWERS = ("yes", "no", "unknown")
# After a verdict, a message this long is another ad, not a question about the first one;
# so is a sentence that long which the checker flags on its own ("sang Thái Lan làm bán
# hàng không, lương 9 triệu..."), while "họ bảo qua Campuchia trước" adds to the first.
NEW_AD_WORDS = 25
JUDGED_ALONE_WORDS = 12


log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def known_scams() -> KnownScams:
    return KnownScams(database())


def listed_in(offer: str) -> tuple[Report, ...]:
    """The list's reports on this offer; without the database the check goes on on its signs."""
    try:
        return known_scams().reports(offer)
    except SQLAlchemyError as error:  # the offer is not logged: it may hold the user's details
        log.warning("known-scams lookup failed (%s); checked on the signs alone", type(error).__name__)
        return ()


def checker() -> OfferChecker:
    return OfferChecker(live_content().templates.content, known=listed_in)


def image_url(tracker: Tracker) -> str | None:
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("image_url")


# An ad typed a line at a time ("tuyển nv kho", "lương 12tr", "bao ăn ở") is judged whole:
# the lines too short to judge wait in the question, up to this many characters (the latest kept).
MAX_FRAGMENTS_CHARS = 3000


def awaiting_offer(so_far: str = "") -> list[dict]:
    question: dict[str, Any] = {"kind": OFFER_TEXT}
    if so_far:
        question["so_far"] = so_far[-MAX_FRAGMENTS_CHARS:]
    return [SlotSet(OPEN_QUESTION, question)]


def with_fragments(question: dict[str, Any], text: str) -> str:
    """The lines sent so far while the assistant waited for the ad, then this one."""
    so_far = question.get("so_far") or ""
    return f"{so_far}\n{text}" if so_far else text


def reply_to_offer(
    dispatcher: CollectingDispatcher, offer: str, asked_for_it: bool = False, tracker: Tracker | None = None
) -> list[dict]:
    """The verdict on a pasted offer, or a request for the offer itself; counted for `tracker`'s conversation."""
    if tracker is not None and writes_from_abroad_now(offer):
        # Already there ("e moi qua o cam dc 2 tuan ... e muon ve"): the numbers that work from
        # there and a person, not a verdict whose steps say "call 111" and "look the company up".
        return refer(dispatcher, tracker, in_danger=True) + offer_handoff(dispatcher, tracker)
    lost_money = money_already_paid(offer)
    if lost_money:
        dispatcher.utter_message(response="utter_referral_lost_money")
    verdict = checker().check(offer)
    if verdict.risk == UNCLEAR and not verdict.signs:
        dispatcher.utter_message(response="utter_offer_need_more" if asked_for_it else "utter_ask_offer")
        return [SlotSet(OFFER_CHECK, None)] + awaiting_offer(offer)
    if tracker is not None:
        count_check(tracker, verdict)
    state = {
        "text": offer,
        "risk": verdict.risk,
        "score": verdict.score,
        "floor": verdict.floor,
        "questions": [q.id for q in verdict.questions],
        "asked": None,
    }
    if lost_money and verdict.risk == LOW:
        # Someone who has already paid is past "check before you accept": the steps above are the answer.
        return [SlotSet(OFFER_CHECK, {**state, "questions": []}), SlotSet(OPEN_QUESTION, {"kind": VERDICT})]
    say_verdict(dispatcher, verdict)
    return [SlotSet(OFFER_CHECK, state)] + ask_next_question(dispatcher, state)


def count_check(tracker: Tracker, verdict: Verdict) -> None:
    source = "screenshot" if sent_a_screenshot(tracker) else "text"
    signs = [sign.id for sign in verdict.signs]
    count(tracker, lambda rec, channel, key: rec.offer_checked(channel, key, verdict.risk, source, signs))


def say_verdict(dispatcher: CollectingDispatcher, verdict: Verdict) -> None:
    reported = report_arguments(verdict)
    if reported is not None:  # a listed recruiter is said first, whatever the signs say
        dispatcher.utter_message(response="utter_offer_known_scam", **reported)
    resembled = resemblance_arguments(verdict)
    if resembled is not None:  # a site like a listed one: said before the verdict too, as resembling only
        dispatcher.utter_message(response="utter_offer_resembles_listed", **resembled)
    dispatcher.utter_message(response="utter_offer_verdict", **verdict_arguments(verdict))
    if verdict.risk not in (UNCLEAR, "low"):
        dispatcher.utter_message(response="utter_offer_next_steps", risk=verdict.risk)


def ask_next_question(dispatcher: CollectingDispatcher, state: dict[str, Any]) -> list[dict]:
    """The checker's next question about what the offer leaves out, once; then follow-ups are free."""
    question = checker().question(state["questions"][0]) if state.get("questions") else None
    if question is None:
        return [
            SlotSet(OFFER_CHECK, {**state, "asked": None, "questions": []}),
            SlotSet(OPEN_QUESTION, {"kind": VERDICT}),
        ]
    dispatcher.utter_message(response="utter_offer_question", question=question.text)
    return [
        SlotSet(OFFER_CHECK, {**state, "asked": question.id, "questions": state["questions"][1:]}),
        SlotSet(OPEN_QUESTION, {"kind": VERDICT}),
    ]


def answer_question(dispatcher: CollectingDispatcher, state: dict[str, Any], answer: str) -> list[dict]:
    """The user answered the checker's question: the risk moves, a flagged offer never to low."""
    # A fee, an ID handed over, travel abroad arranged: no answer brings the risk below medium.
    score, rescored = checker().rescore(state["score"], state["asked"], answer, floor=state.get("floor", LOW))
    risk = after_answer(state["risk"], rescored)
    dispatcher.utter_message(response="utter_offer_rescored", risk=risk)
    state = {**state, "score": score, "risk": risk, "asked": None}
    if not state["questions"] and risk != "low":
        dispatcher.utter_message(response="utter_offer_next_steps", risk=risk)
    return ask_next_question(dispatcher, state)


def follow_up(dispatcher: CollectingDispatcher, state: dict[str, Any], text: str, tracker: Tracker) -> list[dict]:
    """A message about the offer already checked: a new fact updates it, a question is answered."""
    the_checker = checker()
    words = len(text.split())
    if words >= NEW_AD_WORDS or (words >= JUDGED_ALONE_WORDS and the_checker.check(text).risk in (MEDIUM, HIGH)):
        return reply_to_offer(dispatcher, text, tracker=tracker)
    earlier = the_checker.check(state["text"])
    # What the user was told stands: the recheck starts from it (floor and destination kept).
    earlier = replace(
        earlier, risk=higher_risk(earlier.risk, state["risk"]), score=max(earlier.score, state["score"]), questions=()
    )
    updated = with_new_fact(the_checker, earlier, state["text"], text)
    added = new_signs(earlier, updated)
    keep = [SlotSet(OPEN_QUESTION, {"kind": VERDICT})]
    if added:
        dispatcher.utter_message(
            response="utter_offer_updated",
            risk=updated.risk,
            new_signs=[{"title": s.title, "evidence": list(s.evidence)} for s in added[:3]],
        )
        if updated.risk in ("medium", "high"):
            dispatcher.utter_message(response="utter_offer_next_steps", risk=updated.risk)
        new_state = {**state, "text": state["text"] + "\n" + text, "risk": updated.risk, "score": updated.score}
        # The updated verdict is now the last thing said: a later "ko" is no answer to the earlier question.
        new_state["asked"] = None
        return [SlotSet(OFFER_CHECK, new_state)] + keep
    topic = "more" if is_more_request(text) else followup_topic(text)
    if topic == "back" and money_already_paid(state["text"] + "\n" + text):
        # "có lấy lại được không" after telling how the money went: no promise, what helps.
        dispatcher.utter_message(response="utter_lost_money_back")
    elif money_already_paid(text):
        dispatcher.utter_message(response="utter_referral_lost_money")
    elif topic == "more":
        dispatcher.utter_message(response="utter_offer_all_signs", signs=sign_arguments(earlier))
    elif topic in ANSWERS_OF_THEIR_OWN:
        dispatcher.utter_message(response=ANSWERS_OF_THEIR_OWN[topic], risk=earlier.risk)
    else:
        dispatcher.utter_message(
            response="utter_offer_followup",
            topic=topic,
            risk=earlier.risk,
            signs=verdict_arguments(earlier)["signs"],
            # A licensed company may lawfully charge for work abroad: the fee answer says how, not "pay nothing".
            abroad=earlier.abroad,
        )
    return keep


def answer_of(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
    answer = next(tracker.get_latest_entity_values("offer_answer"), None) or ANSWERS_BY_INTENT.get(intent)
    text = latest_text(tracker)
    if answer == "no" and intent == "deny" and not (is_clear_no(text) or opens_with_no(text)):
        # "nó mới 16 tuổi" (she is only 16), "no ko nghe e" (he won't listen to me): "nó" folds
        # into "no" and the classifier said deny, but nothing in them answers the question.
        return None
    return answer if answer in ANSWERS else None


class ActionCheckOffer(Action):
    """A pasted or photographed offer gets a verdict; a bare request gets asked for the offer."""

    def name(self) -> str:
        return "action_check_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        offer = latest_text(tracker)
        url = image_url(tracker)
        if url:
            try:
                offer = await text_from_image_url(url)
            except OcrUnavailable:
                offer = ""
            if not offer.strip():
                dispatcher.utter_message(response="utter_offer_no_text_in_image")
                return [SlotSet(OFFER_CHECK, None)]
        if offer.startswith("/"):  # the button: nothing to check yet
            dispatcher.utter_message(response="utter_ask_offer")
            return [SlotSet(OFFER_CHECK, None)] + awaiting_offer()
        return reply_to_offer(dispatcher, offer, tracker=tracker)
