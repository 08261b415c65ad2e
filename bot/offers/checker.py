"""The job-offer checker: which warning signs an offer carries, and how risky it is.

Almost every ordinary ad carries one "indicator" or another, so one mild sign
is never enough: signs are weighed (content/warning_signs.yml), combinations
count extra, things a real ad states (address, licence, company) count
against, and when the verdict hinges on something the ad leaves out, the
checker says which questions to ask (content/offer_checker.yml).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.content.kinds.offer_checker import FollowUpQuestion, OfferSettings
from bot.content.reading import Content
from bot.knownscams.extract import HANDLE_OR_CHAT_LINK, web_links
from bot.knownscams.lookalike import imitated_brand, named_as_brand
from bot.knownscams.normalise import DOMAIN, domain
from bot.offers.learned import LearnedScore
from bot.offers.learned import load as load_learned
from bot.offers.money import Pay, find_pay
from nlu.normalise import NormalisedText, fold, normalise, normalise_with_origin
from nlu.phrases import GAP, PhraseMatch, PhraseSet

if TYPE_CHECKING:
    from bot.knownscams.store import Report

HIGH, MEDIUM, LOW, UNCLEAR = "high", "medium", "low", "unclear"
MAX_EVIDENCE = 3
# Signs the checker works out itself, beyond their phrases.
EASY_HIGH_PAY = "easy_high_pay"
RISKY_DESTINATION = "risky_destination"
CHAT_ONLY_CONTACT = "chat_only_contact"
FOREIGN_PHONE = "foreign_phone"
IMPERSONATED_BRAND = "impersonated_brand"
FEES_DEPOSIT = "fees_deposit"
TRAVEL_PAID = "travel_paid"
PICKUP_ARRANGED = "pickup_arranged"
TRAVEL_ARRANGED_ABROAD = "travel_arranged_abroad"
# `content check` asks warning_signs.yml for each: a computed sign without its text would vanish.
COMPUTED_SIGNS = (
    EASY_HIGH_PAY,
    RISKY_DESTINATION,
    CHAT_ONLY_CONTACT,
    FOREIGN_PHONE,
    IMPERSONATED_BRAND,
    FEES_DEPOSIT,
    TRAVEL_ARRANGED_ABROAD,
)
# Signs found by their phrases that the checker reads as clues: the pay threshold that fits
# ("việc nhẹ lương cao" at home), travel arranged abroad. Renamed in content, a clue would stop counting.
WORK_FROM_HOME_EASY, ONLINE_TASKS = "work_from_home_easy", "online_tasks"
NO_QUALIFICATIONS, TYPICAL_SCAM_ROLE = "no_qualifications", "typical_scam_role"
INTRODUCED_BY_ACQUAINTANCE, STRANGER_CONTACT = "introduced_by_acquaintance", "stranger_contact"
HOSTESS_WORK = "hostess_work"
# Signs after which a job's pay is judged as for unskilled work at home.
UNSKILLED_PAY_CLUES = frozenset(
    {NO_QUALIFICATIONS, TYPICAL_SCAM_ROLE, INTRODUCED_BY_ACQUAINTANCE, STRANGER_CONTACT, HOSTESS_WORK}
)
CLUE_SIGNS = (TRAVEL_PAID, PICKUP_ARRANGED, WORK_FROM_HOME_EASY, ONLINE_TASKS, *sorted(UNSKILLED_PAY_CLUES))
# Kinds of job (offer_checker.yml, `jobs`), in the order they are tried.
JOB_KINDS = ("skilled", "commission", "unskilled")
# Reassurances (offer_checker.yml) the checker acts on by name: a stated address is somewhere to go and ask.
ADDRESS = "address"
NAMED_REASSURANCES = (ADDRESS,)
# Not a sign shown to the user: "the work is abroad", for combinations
# ("a lure role weighs much more abroad", content/offer_checker.yml).
ABROAD = "abroad"
PSEUDO_SIGNS = (ABROAD,)
RISK_ORDER = (UNCLEAR, LOW, MEDIUM, HIGH)

# A full stop ends a sentence, the dot of "200.000" does not.
_SENTENCE_END = re.compile(r"[!?\n;]|\.(?!\d)")
# "qua cam lam viec": after a place, the work done there (normalised, folded text).
_WORK_AFTER = re.compile(r"\s*,?\s*(?:di )?(?:lam|xin viec|kiem tien)\b")
_CONTACT_VERB = PhraseSet(["liên hệ", "ib", "inbox", "nhắn tin", "nhắn", "kết bạn", "add", "gọi"])
_CHAT_PLATFORM = PhraseSet(["zalo", "telegram", "tele", "facebook", "fb", "messenger", "whatsapp", "viber", "tiktok"])
# "nhan vien", "nhan su" (staff) typed without diacritics: not "nhắn" (send a message).
_NOT_A_VERB = re.compile(r" (?:vien|su|luc)\b")
_HANDLE = HANDLE_OR_CHAT_LINK
# The verified list of known scam recruiters (bot/knownscams): the reports an offer matches.
KnownScamLookup = Callable[[str], Sequence["Report"]]


@dataclass(frozen=True)
class SignFound:
    id: str
    title: str
    explanation: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    risk: str
    score: float
    signs: tuple[SignFound, ...]
    questions: tuple[FollowUpQuestion, ...]
    reassurances: tuple[str, ...] = ()
    # The lowest risk this offer can have whatever is answered later: a fee asked,
    # an ID handed over, travel abroad arranged by the recruiter make it medium.
    floor: str = LOW
    abroad: bool = False
    # The learned model's calibrated probability that this is a lure (bot/offers/learned.py).
    probability: float | None = None
    # The learned model raised this verdict from low to medium (it is then also the floor).
    raised_by_model: bool = False
    # Listed contacts or a listed lure this offer carries: said first, and the risk is high.
    reports: tuple[Report, ...] = ()
    # Listed domains that the offer's domains resemble (shopee-vn.top for shopee-vn.xyz): said, risk at least medium.
    resembling: tuple[Report, ...] = ()
    # Links neither listed nor imitating a brand: never opened, so the assistant cannot tell what they are.
    unchecked_links: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "risk": self.risk,
            "score": round(self.score, 2),
            "signs": [{"id": s.id, "title": s.title, "evidence": list(s.evidence)} for s in self.signs],
            "questions": [q.text for q in self.questions],
            "reported": [{"kind": r.kind, "value": r.display, "checked": r.checked.isoformat()} for r in self.reports],
            "resembling": [{"link": r.quote, "listed": r.display} for r in self.resembling],
            "unchecked_links": list(self.unchecked_links),
        }


@dataclass
class _Findings:
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def add(self, sign_id: str, quote: str) -> None:
        quotes = self.evidence.setdefault(sign_id, [])
        lowered = quote.lower()
        if not quote or any(lowered in q.lower() for q in quotes):
            return
        # "bao vé" then "bao vé máy bay": keep the fuller quote only.
        quotes[:] = [q for q in quotes if q.lower() not in lowered]
        if len(quotes) < MAX_EVIDENCE:
            quotes.append(quote)


class OfferChecker:
    """`learned`: the learned weighing (bot/offers/offer_model.json) when its own
    training run found it better on dev; "hand" forces the hand weights.
    `known`: the lookup in the list of known scam recruiters, if the caller has the database."""

    def __init__(
        self, content: Content, learned: LearnedScore | str | None = "auto", known: KnownScamLookup | None = None
    ) -> None:
        if content.offer_settings is None:
            raise ValueError("content has no offer_checker.yml")
        self.settings: OfferSettings = content.offer_settings
        self.signs = content.signs
        self.going_words = [normalise(w).split() for w in self.settings.going_words]
        self.not_abroad = content.not_abroad
        if learned == "auto":
            learned = load_learned(only_if_used=True)
        self.learned = learned if isinstance(learned, LearnedScore) else None
        self.known = known

    # --- the verdict -----------------------------------------------------------------

    def check(self, offer: str) -> Verdict:
        verdict = self._judge_signs(offer)
        found = tuple(self.known(offer)) if self.known is not None else ()
        verdict = self._with_list(verdict, found)
        return replace(verdict, unchecked_links=_unchecked_links(offer, verdict))

    def _with_list(self, verdict: Verdict, found: Sequence[Report]) -> Verdict:
        """What the list says: a listed contact makes the risk high; a domain resembling a listed one, medium.

        A domain named exactly as a brand (shopee.vn) is never said to resemble
        a listed domain: it may be the brand's own site (as in lookalike.imitated_brand).
        """
        reports = tuple(r for r in found if not r.lookalike)
        brands = self.settings.brands.phrases
        resembling = tuple(r for r in found if r.lookalike and not named_as_brand(domain(r.quote) or "", brands))
        if resembling:
            risk = _at_least(verdict.risk, MEDIUM)
            verdict = replace(verdict, risk=risk, floor=_at_least(verdict.floor, MEDIUM), resembling=resembling)
            verdict = replace(verdict, questions=self._questions(verdict, verdict.abroad))
        return _reported(verdict, reports) if reports else verdict

    def _judge_signs(self, offer: str) -> Verdict:
        text = normalise_with_origin(offer)
        careful = _writes_diacritics(text.source)
        common = self._common_words(text, careful)
        findings = self._findings(offer, text, careful, common)
        destinations = self._destinations(text, careful, common)
        for match in destinations["risky"] + destinations["transit"]:
            findings.add(RISKY_DESTINATION, match.quote)
        abroad = self._abroad(text, destinations)
        pay = self.settings.pay
        amounts = find_pay(text, self.settings.exchange, pay.per_day_days, pay.per_hour_hours)
        self._judge_pay(text, amounts, destinations, findings)
        self._fees(text, amounts, findings, careful)
        for arranged in (TRAVEL_PAID, PICKUP_ARRANGED) if abroad else ():
            for quote in findings.evidence.get(arranged, ()):
                findings.add(TRAVEL_ARRANGED_ABROAD, quote)
        reassured = tuple(r.id for r in self.settings.reassurances if r.patterns.find(text))
        if ADDRESS in reassured:
            # A stated address is somewhere to go and ask: chat is then not the only contact.
            findings.evidence.pop(CHAT_ONLY_CONTACT, None)

        floor = MEDIUM if set(findings.evidence) & set(self.settings.never_below_medium) else LOW
        if floor == LOW and self._too_little_to_judge(text, amounts, findings):
            return Verdict(UNCLEAR, 0.0, self._signs_found(findings), ())
        base = self._score(findings, reassured, abroad)
        risk, probability = _at_least(self._risk(base), floor), None
        if self.learned is not None and risk == LOW:
            probability = self.learned.probability(text.text, list(findings.evidence), abroad, base)
            risk = _learned_risk(self.learned, probability, risk)
        raised = probability is not None and risk == MEDIUM  # the model was asked only about a low verdict
        # A raise by the model is kept like a floor: a follow-up answer moves the hand score only.
        floor = MEDIUM if raised else floor
        verdict = Verdict(risk, base, self._signs_found(findings), (), reassured, floor, abroad, probability, raised)
        return replace(verdict, questions=self._questions(verdict, abroad))

    def recheck(self, earlier: Verdict, new_text: str) -> Verdict:
        """An earlier verdict with a new fact from the user ("they want 500k for the uniform").

        The signs are the union of both, the risk never lower than before, and
        the questions those still open after the new fact.
        """
        new = self.check(new_text)
        signs = {s.id: s for s in earlier.signs}
        for sign in new.signs:
            if sign.id in signs:
                quotes = signs[sign.id].evidence + tuple(q for q in sign.evidence if q not in signs[sign.id].evidence)
                signs[sign.id] = replace(sign, evidence=quotes[:MAX_EVIDENCE])
            else:
                signs[sign.id] = sign
        reassured = tuple(dict.fromkeys(earlier.reassurances + new.reassurances))
        present = set(signs)
        abroad = earlier.abroad or new.abroad
        score = self._score(_Findings({s: list(signs[s].evidence) for s in present}), reassured, abroad)
        floor = max(earlier.floor, new.floor, key=RISK_ORDER.index)
        risk = max(earlier.risk, new.risk, _at_least(self._risk(score), floor), key=RISK_ORDER.index)
        ordered = tuple(sorted(signs.values(), key=lambda s: -self.signs[s.id].weight if s.id in self.signs else 0))
        questions = tuple(q for q in earlier.questions if q.unless not in reassured) if risk != HIGH else ()
        raised = earlier.raised_by_model or new.raised_by_model
        verdict = Verdict(risk, max(score, earlier.score), ordered, questions, reassured, floor, abroad, None, raised)
        listed = earlier.reports + earlier.resembling
        return self._with_list(verdict, listed + tuple(r for r in new.reports + new.resembling if r not in listed))

    def question(self, question_id: str) -> FollowUpQuestion | None:
        return next((q for q in self.settings.questions if q.id == question_id), None)

    def rescore(self, score: float, question_id: str, answer: str, floor: str = LOW) -> tuple[float, str]:
        """The score and risk after the user answered one follow-up question (never below `floor`)."""
        question = self.question(question_id)
        new_score = max(0.0, score + (question.effects[answer] if question else 0.0))
        return new_score, _at_least(self._risk(new_score), floor)

    # --- what the offer says ---------------------------------------------------------------

    def _findings(self, offer: str, text: NormalisedText, careful: bool, common: list[PhraseMatch]) -> _Findings:
        """Every sign's phrases, read in context.

        Where the writer types diacritics (`careful`), "báo về" is not "bao vé"
        and "giữ cho" is not "giữ chỗ"; a phrase whose last word starts a common
        compound is that compound ("làm việc tại nhà máy" is not "tại nhà").
        """
        findings = _Findings()

        def misread(match: PhraseMatch) -> bool:
            return (careful and _written_otherwise(text, match)) or any(
                match.start < d.start < match.end < d.end for d in common
            )

        for sign in self.signs.values():
            for match in sign.patterns.find(text):
                if not self._waived(text, sign.id, match) and not misread(match):
                    findings.add(sign.id, match.quote)
            for group in sign.patterns_near:
                for match in group.patterns.find(text):
                    if misread(match):
                        continue
                    if _near_elsewhere(text, match, group.near):
                        findings.add(sign.id, match.quote)
        self._contacts(offer, text, findings, careful)
        self._brands(text, findings)
        self._lookalike_domains(offer, findings)
        return findings

    def _common_words(self, text: NormalisedText, careful: bool) -> list[PhraseMatch]:
        """Vietnamese places and common words in the text ("Lào Cai", "giải lao", "quả cam").

        Not one: a word written with other diacritics by a writer who types them
        ("qua Cam" is not "quả cam"); typed without diacritics, a word that starts
        with a going word and is followed by work ("qua cam lam viec") is the trip.
        """
        if not self.not_abroad:
            return []
        going = {words[0] for words in self.going_words if len(words) == 1}
        return [
            m
            for m in self.not_abroad.find(text)
            if not (careful and _written_otherwise(text, m))
            and not (fold(m.phrase).split()[0] in going and _WORK_AFTER.match(text.text, m.end))
        ]

    def _waived(self, text: NormalisedText, sign_id: str, match: PhraseMatch) -> bool:
        """ "miễn phí đào tạo", "công ty hỗ trợ phí": a fee the applicant does not pay."""
        if sign_id != FEES_DEPOSIT:
            return False
        return bool(self.settings.fee_waivers.find(_slice(text, max(0, match.start - 25), match.start)))

    def _destinations(
        self, text: NormalisedText, careful: bool, domestic: list[PhraseMatch]
    ) -> dict[str, list[PhraseMatch]]:
        """Places the offer sends people to.

        Not one: a place in a sentence about a past trip; a Vietnamese place or
        a common word that folds into a country's name ("Lào Cai", "giải lao");
        a country's name written with other diacritics in a text that has them
        ("lao" is not "Lào" when the writer types "Lào" for Laos). Slang ("cam",
        "bên kia") and labour-export countries count only after a going word.
        """
        result: dict[str, list[PhraseMatch]] = {}
        kinds = dict(self.settings.places, slang=self.settings.slang_places)
        for kind, phrases in kinds.items():
            result[kind] = [
                m
                for m in phrases.find(text)
                if not self._about_the_past(text, m)
                and not any(d.start < m.end and m.start < d.end for d in domestic)
                and not (careful and _written_otherwise(text, m))
                and (kind in ("risky", "transit") or self._going_there(text, m))
            ]
        result["risky"] += result.pop("slang")
        return result

    def _abroad(self, text: NormalisedText, destinations) -> bool:
        return any(destinations.values()) or bool(self.settings.abroad_words.find(text))

    def _about_the_past(self, text: NormalisedText, match: PhraseMatch) -> bool:
        return bool(self.settings.past_words.find(_slice(text, *_sentence_around(text.text, match.start))))

    def _going_there(self, text: NormalisedText, match: PhraseMatch) -> bool:
        """After a going word, and not the company's home ("doanh nghiệp hàng đầu tại Trung Quốc")."""
        if not self._after_going_word(text, match, self.going_words):
            return False
        sentence_start, _ = _sentence_around(text.text, match.start)
        before = _slice(text, max(sentence_start, match.start - 30), match.start)
        return not self.settings.company_home_words.find(before)

    @staticmethod
    def _after_going_word(text: NormalisedText, match: PhraseMatch, going: Sequence[list[str]]) -> bool:
        before = text.text[max(0, match.start - 30) : match.start].split()
        return any(before[-len(words) :] == words for words in going if len(before) >= len(words))

    def _job_kind(self, text: NormalisedText) -> str:
        for kind in JOB_KINDS:
            if kind in self.settings.jobs and self.settings.jobs[kind].find(text):
                return kind
        return "unknown"

    def _pay_threshold(
        self, text: NormalisedText, amounts: list[Pay], destinations, findings: _Findings
    ) -> float | None:
        """The monthly pay above which this offer's pay is a sign; None when pay alone says nothing.

        At home, pay is only a sign next to the "easy" part of "việc nhẹ lương cao".
        """
        pay, job = self.settings.pay, self._job_kind(text)
        present = set(findings.evidence)
        easy_home = bool(present & {WORK_FROM_HOME_EASY, ONLINE_TASKS})
        if job == "skilled":
            return pay.skilled
        if destinations["risky"] or destinations["transit"]:
            return pay.unskilled_abroad
        if destinations["labour_export"]:
            return pay.labour_export
        if self.settings.abroad_words.find(text):
            return pay.unskilled_abroad
        currencies = {amount.currency for amount in amounts}
        if "usd" in currencies:
            # Pay in dollars for a job that is not skilled: an offer abroad,
            # wherever it says (lures promise 800–2,000 USD, Bộ Ngoại giao 2025).
            return pay.unskilled_abroad
        if currencies & {"yen", "man", "eur", "gbp"}:
            return pay.labour_export
        if easy_home:
            return pay.easy_home
        if job == "commission":
            return None
        # A job anyone can do, or one a friend, a relative or a stranger brings: the pay is the lure.
        if present & UNSKILLED_PAY_CLUES:
            return pay.unskilled_home
        if any(amount.period in ("day", "hour") for amount in amounts):
            return pay.by_the_day
        return pay.implausible_home

    def _judge_pay(self, text: NormalisedText, amounts: list[Pay], destinations, findings: _Findings) -> None:
        threshold = self._pay_threshold(text, amounts, destinations, findings)
        if threshold is None:
            return
        # At home the low end of a range is what is sure; abroad the high end is the lure.
        at_home = threshold in self.settings.pay.at_home
        for amount in amounts:
            monthly = amount.monthly_low_vnd if at_home else amount.monthly_vnd
            if monthly is not None and monthly >= threshold and self._is_pay(text, amount):
                findings.add(EASY_HIGH_PAY, amount.quote)

    def _fees(self, text: NormalisedText, amounts: list[Pay], findings: _Findings, careful: bool) -> None:
        """An amount the applicant is told to pay: "bắt đóng 500k", "đóng 800.000 đồng", "chuyển 200k giữ chỗ"."""
        for amount in amounts:
            quote = self._fee_said_before(text, amount, careful) or self._fee_purpose_after(text, amount)
            if quote:
                findings.add(FEES_DEPOSIT, quote)

    def _fee_said_before(self, text: NormalisedText, amount: Pay, careful: bool) -> str | None:
        """A paying word just before the amount: "nộp 2 triệu", "bắt đóng 500k"."""
        window = _slice(text, max(0, amount.start - 40), amount.start)
        fee_words = self._fee_words_in(window, careful)
        pay_words = self.settings.pay_words.find(window)
        if not fee_words or (pay_words and pay_words[-1].start > fee_words[-1].start):
            return None
        fee = fee_words[-1]
        if careful and _written_otherwise(window, fee):
            return None
        if window.text[fee.end :].count(" ") <= 3 and not self._waived(window, FEES_DEPOSIT, fee):
            return f"{fee.quote} {amount.quote}"
        return None

    def _fee_words_in(self, window: NormalisedText, careful: bool) -> list[PhraseMatch]:
        fee_words = self.settings.fee_words.find(window)
        if careful:
            # Only a writer who types diacritics tells "đóng 800.000" (pay) from "đồng 800.000".
            fee_words += self.settings.fee_words_with_diacritics.find(window)
        # "phí 120 triệu": a cost named with nothing between it and the amount
        # (not "chi phí thuê nhà: 30.000 yên", a deduction a contract lists).
        fee_words += [
            m for m in self.settings.fee_words_next_to_amount.find(window) if not window.text[m.end :].strip(" :")
        ]
        return sorted(fee_words, key=lambda m: (m.start, m.end))

    def _fee_purpose_after(self, text: NormalisedText, amount: Pay) -> str | None:
        """What the amount is for, right after it: "200k giữ chỗ", "1 triệu đặt cọc" (unless waived before)."""
        after = _slice(text, amount.end, min(len(text.text), amount.end + 25))
        purposes = [m for m in self.settings.fee_purposes.find(after) if m.start <= 1]
        before = _slice(text, max(0, amount.start - 25), amount.start)
        if not purposes or self.settings.fee_waivers.find(before):
            return None
        return f"{amount.quote} {purposes[0].quote}"

    def _is_pay(self, text: NormalisedText, amount: Pay) -> bool:
        """Money the worker gets, not a sales target or a fee they must pay."""
        sentence_start, _ = _sentence_around(text.text, amount.start)
        window = _slice(text, max(sentence_start, amount.start - 80), amount.start)
        pay_words = self.settings.pay_words.find(window)
        other_words = self.settings.not_pay_words.find(window)
        if not other_words:
            return True
        return bool(pay_words) and pay_words[-1].start > other_words[-1].start

    def _contacts(self, raw: str, text: NormalisedText, findings: _Findings, careful: bool) -> None:
        for code in self.settings.foreign_phone_codes:
            for match in re.finditer(re.escape(code) + r"[\s\d.-]{6,}", raw):
                findings.add(FOREIGN_PHONE, match.group().strip())
        # "liên hệ qua Zalo", "ib tele": a contact verb just before the platform.
        # "bán hàng trên TikTok" is where the shop sells, not how to reach the recruiter.
        for platform in _CHAT_PLATFORM.find(text):
            before = _slice(text, max(0, platform.start - 25), platform.start)
            verbs = [
                v
                for v in _CONTACT_VERB.find(before)
                if not (careful and _written_otherwise(before, v)) and not _NOT_A_VERB.match(before.text, v.end)
            ]
            if verbs:
                findings.add(CHAT_ONLY_CONTACT, platform.quote)
                break
        for match in _HANDLE.finditer(raw):
            findings.add(CHAT_ONLY_CONTACT, match.group())

    def _brands(self, text: NormalisedText, findings: _Findings) -> None:
        """A brand is borrowed when the ad claims to be it recruiting, not when it sells on it."""
        for brand in self.settings.brands.find(text):
            before = _slice(text, max(0, brand.start - 20), brand.start)
            after = _slice(text, brand.end, min(len(text.text), brand.end + 25))
            claims_before = [m for m in self.settings.brand_claim_before.find(before) if m.end >= len(before.text) - 1]
            claims_after = [m for m in self.settings.brand_claim_after.find(after) if m.start <= 1]
            if claims_before or claims_after:
                findings.add(IMPERSONATED_BRAND, brand.quote)
                return

    def _lookalike_domains(self, offer: str, findings: _Findings) -> None:
        """A site whose name borrows a brand's (shopee-vn.xyz) is the brand impersonated; read, never opened."""
        for link in web_links(offer):
            if link.kind == DOMAIN and imitated_brand(link.value, self.settings.brands.phrases):
                findings.add(IMPERSONATED_BRAND, link.quote)

    # --- scoring -------------------------------------------------------------------------

    def _too_little_to_judge(self, text: NormalisedText, amounts: list[Pay], findings: _Findings) -> bool:
        """Too short, not an offer, or a request to check one without its terms."""
        words = len(text.text.split())
        if words < self.settings.minimum_words:
            return True
        has_terms = bool(findings.evidence) or bool(amounts)
        if has_terms:
            return False
        return words < self.settings.minimum_words_without_terms or not self.settings.offer_words.find(text)

    def _score(self, findings: _Findings, reassured: Sequence[str], abroad: bool) -> float:
        present: set[str] = set(findings.evidence) | ({ABROAD} if abroad else set())
        score = sum(self.signs[s].weight for s in present if s in self.signs)
        score += sum(c.bonus for c in self.settings.combinations if set(c.signs) <= present)
        score += sum(r.weight for r in self.settings.reassurances if r.id in reassured)
        return max(0.0, score)

    def _risk(self, score: float) -> str:
        if score >= self.settings.high:
            return HIGH
        return MEDIUM if score >= self.settings.medium else LOW

    def _questions(self, verdict: Verdict, abroad: bool) -> tuple[FollowUpQuestion, ...]:
        """Ask about what is missing only when the answer could change the verdict."""
        if verdict.risk == HIGH or (verdict.risk == LOW and not abroad):
            return ()
        missing = [q for q in self.settings.questions if q.unless not in verdict.reassurances]
        return tuple(missing[: self.settings.max_questions])

    def _signs_found(self, findings: _Findings) -> tuple[SignFound, ...]:
        ordered = sorted(findings.evidence, key=lambda s: -self.signs[s].weight if s in self.signs else 0)
        return tuple(
            SignFound(s, self.signs[s].title, self.signs[s].explanation, tuple(findings.evidence[s]))
            for s in ordered
            if s in self.signs
        )


def _learned_risk(learned: LearnedScore, probability: float, risk: str) -> str:
    """The model only raises: a low verdict becomes medium at a high enough probability.

    It never lowers what the hand weights or the floors gave (a missed lure is
    worse than a false alarm, and a floor is never argued away), and high stays
    the hand score's (several strong signs, each shown to the user). It may
    raise an offer with no sign at all: lures that read like ordinary ads.
    """
    return MEDIUM if risk == LOW and probability >= learned.medium else risk


def _unchecked_links(offer: str, verdict: Verdict) -> tuple[str, ...]:
    """The offer's links that neither the list nor the brand names say anything about."""
    known = {r.quote for r in verdict.reports + verdict.resembling} | {
        q for s in verdict.signs if s.id == IMPERSONATED_BRAND for q in s.evidence
    }
    return tuple(link.quote for link in web_links(offer) if link.quote not in known)


def _reported(verdict: Verdict, reports: tuple[Report, ...]) -> Verdict:
    """A listed recruiter is the highest risk whatever the signs say, and no answer lowers it."""
    return replace(verdict, risk=HIGH, floor=HIGH, questions=(), reports=reports)


def _at_least(risk: str, floor: str) -> str:
    return max(risk, floor, key=RISK_ORDER.index)


_LETTER = re.compile(r"[^\W\d_]+")


def _writes_diacritics(source: str) -> bool:
    """Whether the writer types Vietnamese with its diacritics (then they can be trusted)."""
    words = _LETTER.findall(source)
    marked = sum(1 for w in words if not w.isascii())
    return len(words) >= 8 and marked / len(words) >= 0.25


def _written_otherwise(text: NormalisedText, match: PhraseMatch) -> bool:
    """ "giải lao" read as "Lào", "báo về" as "bao vé": the words carry other diacritics than the phrase.

    Only the words the phrase spells out are compared (not a "*" gap), and only
    when they fold alike: "ko cần kn" is shorthand, not other words.
    """
    written = _LETTER.findall(text.quote(match.start, match.end).lower())
    chunks = [_LETTER.findall(chunk.lower()) for chunk in match.phrase.split(GAP)]
    first, last = chunks[0], chunks[-1]
    pairs = list(zip(written[: len(first)], first, strict=False))
    if len(chunks) > 1:
        pairs += list(zip(written[-len(last) :], last, strict=False)) if last else []
    elif len(written) != len(first):
        return False
    return any(_spelling(w) != _spelling(c) and _fold(w) == _fold(c) for w, c in pairs) and all(
        _fold(w) == _fold(c) for w, c in pairs
    )


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=4096)
def _spelling(word: str) -> tuple[str, str]:
    """Letters and tone of a syllable, wherever the tone is placed ("hoà" and "hòa" alike)."""
    decomposed = unicodedata.normalize("NFD", word)
    letters = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", letters), "".join(sorted(c for c in decomposed if c in _TONES))


def _near_elsewhere(text: NormalisedText, match: PhraseMatch, near: PhraseSet) -> bool:
    """A context word in the phrase's sentence, outside the phrase: "mỗi đơn hàng" is not its own context."""
    start, end = _sentence_around(text.text, match.start)
    return any(
        not (start + n.start < match.end and match.start < start + n.end) for n in near.find(_slice(text, start, end))
    )


def _slice(text: NormalisedText, start: int, end: int) -> NormalisedText:
    return NormalisedText(text.text[start:end], text.source, text.origin[start:end])


def _sentence_around(text: str, position: int) -> tuple[int, int]:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, position)]
    start = starts[-1] if starts else 0
    end_match = _SENTENCE_END.search(text, position)
    return start, end_match.start() if end_match else len(text)
