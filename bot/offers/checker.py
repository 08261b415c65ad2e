"""The job-offer checker: which warning signs an offer carries, and how risky it is.

Almost every ordinary ad carries one "indicator" or another, so one mild sign
is never enough: signs are weighed (content/warning_signs.yml), combinations
count extra, things a real ad states (address, licence, company) count
against, and when the verdict hinges on something the ad leaves out, the
checker says which questions to ask (content/offer_checker.yml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

from bot.content.model import Content, FollowUpQuestion, OfferSettings
from bot.offers.money import Pay, find_pay
from nlu.normalise import NormalisedText, normalise, normalise_with_origin
from nlu.phrases import PhraseMatch, PhraseSet

HIGH, MEDIUM, LOW, UNCLEAR = "high", "medium", "low", "unclear"
MAX_EVIDENCE = 3
# Signs the checker works out itself, beyond their phrases.
EASY_HIGH_PAY = "easy_high_pay"
RISKY_DESTINATION = "risky_destination"
CHAT_ONLY_CONTACT = "chat_only_contact"
FOREIGN_PHONE = "foreign_phone"
IMPERSONATED_BRAND = "impersonated_brand"
COMPUTED_SIGNS = (EASY_HIGH_PAY, RISKY_DESTINATION, CHAT_ONLY_CONTACT, FOREIGN_PHONE, IMPERSONATED_BRAND)

_SENTENCE_END = re.compile(r"[.!?\n;]")
_CONTACT_VERB = PhraseSet(["liên hệ", "ib", "inbox", "nhắn tin", "nhắn", "kết bạn", "add", "gọi"])
_CHAT_PLATFORM = PhraseSet(["zalo", "telegram", "tele", "facebook", "fb", "messenger", "whatsapp", "viber", "tiktok"])
_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{4,}|\b(?:t\.me|zalo\.me)/\S+")


@dataclass(frozen=True)
class SignFound:
    id: str
    title: str
    explanation: str
    evidence: Tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    risk: str
    score: float
    signs: Tuple[SignFound, ...]
    questions: Tuple[FollowUpQuestion, ...]
    reassurances: Tuple[str, ...] = ()

    def as_json(self) -> Dict:
        return {
            "risk": self.risk,
            "score": round(self.score, 2),
            "signs": [{"id": s.id, "title": s.title, "evidence": list(s.evidence)} for s in self.signs],
            "questions": [q.text for q in self.questions],
        }


@dataclass
class _Findings:
    evidence: Dict[str, List[str]] = field(default_factory=dict)

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
    def __init__(self, content: Content) -> None:
        if content.offer_settings is None:
            raise ValueError("content has no offer_checker.yml")
        self.settings: OfferSettings = content.offer_settings
        self.signs = content.signs
        self.going_words = [normalise(w).split() for w in self.settings.going_words]

    # --- the verdict -----------------------------------------------------------------

    def check(self, offer: str) -> Verdict:
        text = normalise_with_origin(offer)
        findings = _Findings()
        for sign in self.signs.values():
            for match in sign.patterns.find(text):
                findings.add(sign.id, match.quote)
        destinations = self._destinations(text)
        for match in destinations["risky"] + destinations["transit"]:
            findings.add(RISKY_DESTINATION, match.quote)
        self._contacts(offer, text, findings)
        self._brands(text, findings)
        pay = self.settings.pay
        amounts = find_pay(text, self.settings.exchange, pay["per_day_days"], pay["per_hour_hours"])
        self._judge_pay(text, amounts, destinations, findings)
        reassured = tuple(r.id for r in self.settings.reassurances if r.patterns.find(text))
        if "address" in reassured:
            # A stated address is somewhere to go and ask: chat is then not the only contact.
            findings.evidence.pop(CHAT_ONLY_CONTACT, None)

        if self._too_little_to_judge(text, amounts, findings):
            return Verdict(UNCLEAR, 0.0, self._signs_found(findings), ())
        base = self._score(findings, reassured)
        verdict = Verdict(self._risk(base), base, self._signs_found(findings), (), reassured)
        return replace(verdict, questions=self._questions(verdict, destinations))

    def question(self, question_id: str) -> Optional[FollowUpQuestion]:
        return next((q for q in self.settings.questions if q.id == question_id), None)

    def rescore(self, score: float, question_id: str, answer: str) -> Tuple[float, str]:
        """The score and risk after the user answered one follow-up question."""
        question = self.question(question_id)
        new_score = max(0.0, score + (question.effects[answer] if question else 0.0))
        return new_score, self._risk(new_score)

    # --- what the offer says ---------------------------------------------------------------

    def _destinations(self, text: NormalisedText) -> Dict[str, List[PhraseMatch]]:
        """Places the offer sends people to; a place in a sentence about a past trip is not one."""
        result: Dict[str, List[PhraseMatch]] = {}
        for kind, phrases in self.settings.places.items():
            result[kind] = [
                m for m in phrases.find(text)
                if not self._about_the_past(text, m)
                and (kind == "risky" or self._after_going_word(text, m, self.going_words))
            ]
        return result

    def _about_the_past(self, text: NormalisedText, match: PhraseMatch) -> bool:
        return bool(self.settings.past_words.find(_slice(text, *_sentence_around(text.text, match.start))))

    @staticmethod
    def _after_going_word(text: NormalisedText, match: PhraseMatch, going: Sequence[List[str]]) -> bool:
        before = text.text[max(0, match.start - 30):match.start].split()
        return any(before[-len(words):] == words for words in going if len(before) >= len(words))

    def _job_kind(self, text: NormalisedText) -> str:
        for kind in ("skilled", "unskilled"):
            if kind in self.settings.jobs and self.settings.jobs[kind].find(text):
                return kind
        return "unknown"

    def _pay_threshold(
        self, text: NormalisedText, amounts: List[Pay], destinations, findings: "_Findings"
    ) -> Optional[float]:
        """The monthly pay above which this offer's pay is a sign; None when pay alone says nothing.

        At home, pay is only a sign next to the "easy" part of "việc nhẹ lương cao".
        """
        pay, job = self.settings.pay, self._job_kind(text)
        present = set(findings.evidence)
        if job == "skilled":
            return pay["skilled"]
        if destinations["risky"] or destinations["transit"] or self.settings.abroad_words.find(text):
            return pay["unskilled_abroad"]
        if destinations["labour_export"]:
            return pay["labour_export"]
        currencies = {amount.currency for amount in amounts}
        if "usd" in currencies:
            # Pay in dollars for a job that is not skilled: an offer abroad,
            # wherever it says (lures promise 800–2,000 USD, Bộ Ngoại giao 2025).
            return pay["unskilled_abroad"]
        if currencies & {"yen", "man"}:
            return pay["labour_export"]
        if present & {"work_from_home_easy", "online_tasks"}:
            return pay["easy_home"]
        if present & {"no_qualifications", "typical_scam_role"}:
            return pay["unskilled_home"]
        return None

    def _judge_pay(self, text: NormalisedText, amounts: List[Pay], destinations, findings: _Findings) -> None:
        threshold = self._pay_threshold(text, amounts, destinations, findings)
        if threshold is None:
            return
        for amount in amounts:
            if amount.monthly_vnd is not None and amount.monthly_vnd >= threshold and self._is_pay(text, amount):
                findings.add(EASY_HIGH_PAY, amount.quote)

    def _is_pay(self, text: NormalisedText, amount: Pay) -> bool:
        """Money the worker gets, not a sales target or a fee they must pay."""
        sentence_start, _ = _sentence_around(text.text, amount.start)
        window = _slice(text, max(sentence_start, amount.start - 80), amount.start)
        pay_words = self.settings.pay_words.find(window)
        other_words = self.settings.not_pay_words.find(window)
        if not other_words:
            return True
        return bool(pay_words) and pay_words[-1].start > other_words[-1].start

    def _contacts(self, raw: str, text: NormalisedText, findings: _Findings) -> None:
        for code in self.settings.foreign_phone_codes:
            for match in re.finditer(re.escape(code) + r"[\s\d.-]{6,}", raw):
                findings.add(FOREIGN_PHONE, match.group().strip())
        platforms = _CHAT_PLATFORM.find(text)
        if platforms and _CONTACT_VERB.find(text):
            findings.add(CHAT_ONLY_CONTACT, platforms[0].quote)
        for match in _HANDLE.finditer(raw):
            findings.add(CHAT_ONLY_CONTACT, match.group())

    def _brands(self, text: NormalisedText, findings: _Findings) -> None:
        brands = self.settings.brands.find(text)
        if brands and self.settings.brand_job_words.find(text):
            findings.add(IMPERSONATED_BRAND, brands[0].quote)

    # --- scoring -------------------------------------------------------------------------

    def _too_little_to_judge(self, text: NormalisedText, amounts: List[Pay], findings: _Findings) -> bool:
        """Too short, not an offer, or a request to check one without its terms."""
        words = len(text.text.split())
        if words < self.settings.minimum_words:
            return True
        has_terms = bool(findings.evidence) or bool(amounts)
        if has_terms:
            return False
        return words < self.settings.minimum_words_without_terms or not self.settings.offer_words.find(text)

    def _score(self, findings: _Findings, reassured: Sequence[str]) -> float:
        present: Set[str] = set(findings.evidence)
        score = sum(self.signs[s].weight for s in present if s in self.signs)
        score += sum(c.bonus for c in self.settings.combinations if set(c.signs) <= present)
        score += sum(r.weight for r in self.settings.reassurances if r.id in reassured)
        return max(0.0, score)

    def _risk(self, score: float) -> str:
        if score >= self.settings.high:
            return HIGH
        return MEDIUM if score >= self.settings.medium else LOW

    def _questions(self, verdict: Verdict, destinations) -> Tuple[FollowUpQuestion, ...]:
        """Ask about what is missing only when the answer could change the verdict."""
        abroad = any(destinations.values())
        if verdict.risk == HIGH or (verdict.risk == LOW and not abroad):
            return ()
        missing = [q for q in self.settings.questions if q.unless not in verdict.reassurances]
        return tuple(missing[: self.settings.max_questions])

    def _signs_found(self, findings: _Findings) -> Tuple[SignFound, ...]:
        ordered = sorted(findings.evidence, key=lambda s: -self.signs[s].weight if s in self.signs else 0)
        return tuple(
            SignFound(s, self.signs[s].title, self.signs[s].explanation, tuple(findings.evidence[s]))
            for s in ordered if s in self.signs
        )


def _slice(text: NormalisedText, start: int, end: int) -> NormalisedText:
    return NormalisedText(text.text[start:end], text.source, text.origin[start:end])


def _sentence_around(text: str, position: int) -> Tuple[int, int]:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, position)]
    start = starts[-1] if starts else 0
    end_match = _SENTENCE_END.search(text, position)
    return start, end_match.start() if end_match else len(text)
