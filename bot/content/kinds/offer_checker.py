"""content/offer_checker.yml: the thresholds and word lists of the job-offer checker (bot/offers/checker.py)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bot.content.schema import LIST, NUMBER, SOURCED, TEXT, Field, Problems, check_fields, items, phrases
from nlu.phrases import PhraseSet


@dataclass(frozen=True)
class Reassurance:
    id: str
    title: str
    weight: float
    patterns: PhraseSet


@dataclass(frozen=True)
class Combination:
    signs: tuple[str, ...]
    bonus: float


@dataclass(frozen=True)
class FollowUpQuestion:
    id: str
    unless: str
    text: str
    effects: dict[str, float]


@dataclass(frozen=True)
class PayThresholds:
    """`pay`: the monthly pay (VND) from which pay is a sign, by kind of job and place, and how pay
    by the day or the hour becomes monthly. The checker uses each by name: every one must be written."""

    unskilled_abroad: float
    easy_home: float
    implausible_home: float
    by_the_day: float
    unskilled_home: float
    skilled: float
    labour_export: float
    per_day_days: float
    per_hour_hours: float

    @property
    def at_home(self) -> tuple[float, ...]:
        """The thresholds of work in Viet Nam (where the low end of a range is what counts)."""
        return (self.easy_home, self.unskilled_home, self.by_the_day, self.implausible_home)


@dataclass(frozen=True)
class OfferSettings:
    """content/offer_checker.yml: thresholds and word lists of the offer checker."""

    high: float
    medium: float
    minimum_words: int
    minimum_words_without_terms: int
    pay: PayThresholds
    exchange: dict[str, float]
    places: dict[str, PhraseSet]
    going_words: tuple[str, ...]
    abroad_words: PhraseSet
    past_words: PhraseSet
    # "hàng đầu tại Trung Quốc": words before a going word that make the place the company's home.
    company_home_words: PhraseSet
    jobs: dict[str, PhraseSet]
    brands: PhraseSet
    brand_claim_before: PhraseSet
    brand_claim_after: PhraseSet
    slang_places: PhraseSet
    never_below_medium: tuple[str, ...]
    fee_words: PhraseSet
    # Fee words that count only typed with their diacritics: "đóng", folded, is "đồng" (the currency).
    fee_words_with_diacritics: PhraseSet
    # Fee words that count only right before the amount: "phí 120 triệu".
    fee_words_next_to_amount: PhraseSet
    # What an amount right after it is paid for: "200k giữ chỗ".
    fee_purposes: PhraseSet
    fee_waivers: PhraseSet
    foreign_phone_codes: tuple[str, ...]
    offer_words: PhraseSet
    pay_words: PhraseSet
    not_pay_words: PhraseSet
    reassurances: tuple[Reassurance, ...]
    combinations: tuple[Combination, ...]
    max_questions: int
    questions: tuple[FollowUpQuestion, ...]


OFFER_FIELDS = {
    "risk_levels": Field(dict, kind_name="nhóm high/medium"),
    "minimum_words": NUMBER,
    "minimum_words_without_terms": NUMBER,
    "pay": Field(dict, kind_name="nhóm mức lương"),
    "exchange": Field(dict, kind_name="nhóm tỷ giá"),
    "places": Field(dict, kind_name="nhóm nơi làm"),
    "jobs": Field(dict, kind_name="nhóm loại việc"),
    "brands": LIST,
    "brand_claim_before": LIST,
    "brand_claim_after": LIST,
    "never_below_medium": LIST,
    "fee_words": LIST,
    "fee_words_with_diacritics": LIST,
    "fee_words_next_to_amount": LIST,
    "fee_purposes": LIST,
    "fee_waivers": LIST,
    "foreign_phone_codes": LIST,
    "offer_words": LIST,
    "pay_words": LIST,
    "not_pay_words": LIST,
    "reassurances": LIST,
    "combinations": LIST,
    "max_questions": NUMBER,
    "questions": LIST,
}
PLACE_FIELDS = {
    "risky": LIST,
    "transit": LIST,
    "labour_export": LIST,
    "slang": LIST,
    "going_words": LIST,
    "abroad_words": LIST,
    "past_words": LIST,
    "company_home_words": LIST,
}
PAY_FIELDS = {f.name: NUMBER for f in fields(PayThresholds)}
EXCHANGE_FIELDS = {"usd": NUMBER, "yen": NUMBER, "eur": NUMBER, "gbp": NUMBER, **SOURCED}
REASSURANCE_FIELDS = {"id": TEXT, "title": TEXT, "weight": NUMBER, "patterns": LIST}
COMBINATION_FIELDS = {"signs": LIST, "bonus": NUMBER}
# Keys are if_yes/if_no: bare yes/no are booleans in YAML 1.1.
QUESTION_EFFECTS = ("yes", "no", "unknown")
FOLLOW_UP_FIELDS = {"id": TEXT, "unless": TEXT, "text": TEXT, **{f"if_{k}": NUMBER for k in QUESTION_EFFECTS}}


def read_offer_checker(data: Any, path: Path, problems: Problems) -> OfferSettings | None:
    what = "cài đặt trình kiểm tra tin"
    if not check_fields(data, OFFER_FIELDS, path, 1, problems, what):
        return None
    places, levels = data["places"], data["risk_levels"]
    usable = check_fields(places, PLACE_FIELDS, path, data.line_of("places"), problems, "'places'")
    usable &= check_fields(data["pay"], PAY_FIELDS, path, data.line_of("pay"), problems, "'pay'")
    usable &= check_fields(data["exchange"], EXCHANGE_FIELDS, path, data.line_of("exchange"), problems, "'exchange'")
    usable &= check_fields(
        levels, {"high": NUMBER, "medium": NUMBER}, path, data.line_of("risk_levels"), problems, "'risk_levels'"
    )
    reassurances = [
        Reassurance(r["id"], r["title"], float(r["weight"]), phrases(r["patterns"], path, problems))
        for r, line in items(data["reassurances"])
        if check_fields(r, REASSURANCE_FIELDS, path, line, problems, "'reassurances'")
    ]
    combinations = [
        Combination(tuple(c["signs"]), float(c["bonus"]))
        for c, line in items(data["combinations"])
        if check_fields(c, COMBINATION_FIELDS, path, line, problems, "'combinations'")
    ]
    questions = [
        FollowUpQuestion(q["id"], q["unless"], q["text"], {k: float(q[f"if_{k}"]) for k in QUESTION_EFFECTS})
        for q, line in items(data["questions"])
        if check_fields(q, FOLLOW_UP_FIELDS, path, line, problems, "câu hỏi thêm")
    ]
    if not usable:
        return None
    return OfferSettings(
        high=float(levels["high"]),
        medium=float(levels["medium"]),
        minimum_words=int(data["minimum_words"]),
        minimum_words_without_terms=int(data["minimum_words_without_terms"]),
        pay=PayThresholds(**{k: float(data["pay"][k]) for k in PAY_FIELDS}),
        exchange={k: float(data["exchange"][k]) for k in ("usd", "yen", "eur", "gbp")},
        places={k: phrases(places[k], path, problems) for k in ("risky", "transit", "labour_export")},
        going_words=tuple(str(w) for w in places["going_words"]),
        abroad_words=phrases(places["abroad_words"], path, problems),
        past_words=phrases(places["past_words"], path, problems),
        company_home_words=phrases(places["company_home_words"], path, problems),
        jobs={k: phrases(v, path, problems) for k, v in data["jobs"].items()},
        brands=phrases(data["brands"], path, problems),
        brand_claim_before=phrases(data["brand_claim_before"], path, problems),
        brand_claim_after=phrases(data["brand_claim_after"], path, problems),
        slang_places=phrases(places["slang"], path, problems),
        never_below_medium=tuple(str(s) for s in data["never_below_medium"]),
        fee_words=phrases(data["fee_words"], path, problems),
        fee_words_with_diacritics=phrases(data["fee_words_with_diacritics"], path, problems),
        fee_words_next_to_amount=phrases(data["fee_words_next_to_amount"], path, problems),
        fee_purposes=phrases(data["fee_purposes"], path, problems),
        fee_waivers=PhraseSet(phrases(data["fee_waivers"], path, problems).phrases, negatable=False),
        foreign_phone_codes=tuple(str(c) for c in data["foreign_phone_codes"]),
        offer_words=phrases(data["offer_words"], path, problems),
        pay_words=phrases(data["pay_words"], path, problems),
        not_pay_words=phrases(data["not_pay_words"], path, problems),
        reassurances=tuple(reassurances),
        combinations=tuple(combinations),
        max_questions=int(data["max_questions"]),
        questions=tuple(questions),
    )
