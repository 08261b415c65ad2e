"""Pay as people write it, turned into đồng per month.

"8-10 triệu", "15tr", "15 củ", "500k/ngày", "1.200 USD", "1500$", "2k đô",
"lương nghìn đô", "150.000 yên/tháng": the text is normalised first
(nlu.normalise: "15tr" -> "15 trieu", "2k đô" -> "2 nghin do"), so the
patterns here only see folded, expanded words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.normalise import NormalisedText

_NUMBER = r"\d+(?:[.,]\d+)*"
_MULTIPLIERS = {"trieu": 1_000_000, "nghin": 1_000, "ngan": 1_000, "ty": 1_000_000_000}
_CURRENCIES = {
    "usdt": "usd",
    "usd": "usd",
    "$": "usd",
    "do la": "usd",
    "dola": "usd",
    "dollar": "usd",
    "do": "usd",
    "vnd": "vnd",
    "dong": "vnd",
    "yen": "yen",
    "jpy": "yen",
    "man": "man",
    "euro": "eur",
    "eur": "eur",
    "€": "eur",
    "bang anh": "gbp",
    "bang": "gbp",
    "gbp": "gbp",
    "£": "gbp",
}
_PERIODS = {
    "thang": "month",
    "th": "month",
    "ngay": "day",
    "gio": "hour",
    "h": "hour",
    "tuan": "week",
    "nam": "year",
    "chuyen": "piece",
    "don": "piece",
    "bai": "piece",
    "chiec": "piece",
    "luot": "piece",
    "san pham": "piece",
    "video": "piece",
    "nhiem vu": "piece",
}
_ALT = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731

_AMOUNT = re.compile(
    rf"(?<![\w.,])(?P<low>{_NUMBER})(?:\s*(?P<lowmult>{_ALT(_MULTIPLIERS)}))?(?:\s*(?:-|–|~|den|toi)\s*(?P<high>{_NUMBER}))?"
    rf"\s*(?P<mult>{_ALT(_MULTIPLIERS)})?\s*(?P<cur>{_ALT(_CURRENCIES)})?(?!\w)"
)
_DOLLAR_FIRST = re.compile(rf"\$\s*(?P<low>{_NUMBER})")
# Amounts written in words: "lương nghìn đô", "vài nghìn đô", "hàng chục triệu".
_WORDS = {
    r"(?:vai|may) (?:nghin|ngan) (?:do|usd|\$)": 2_000 * 1.0,
    r"(?:ca |mot )?(?:nghin|ngan) (?:do|usd|\$)": 1_000 * 1.0,
}
_WORDS_VND = {r"hang chuc trieu": 20_000_000, r"hang tram trieu": 200_000_000}
_DAY_BEFORE = re.compile(
    r"(?<!\w)(?:moi ngay|1 ngay|mot ngay|hang ngay|hang ngay|ngay lam|trong ngay)(?!\w)(?!.*\b(?:thang|tuan)\b)"
)
# No job pays millions a day: after "mỗi ngày", an amount from this much up is a month's
# pay ("đi làm 8 tiếng mỗi ngày, lương 8 triệu"), while "mỗi ngày kiếm 1-3 triệu" stays a day's.
DAY_PAY_CEILING = 5_000_000
# A day's rate for a holiday stint ("làm 10 ngày Tết, mỗi ngày 1 triệu") pays those days,
# not a month: holiday pay is high by custom. Any other stint is judged as a month of such
# days: "chỉ làm 3 ngày, mỗi ngày 3 triệu" is still easy high pay.
_STINT = re.compile(r"(?<!\w)(?P<days>\d+) ngay (?:tet|le)(?!\w)")
_PERIOD_AFTER = re.compile(
    rf"^\s*(?:dong|vnd)?\s*(?:/|moi|mot|1|mot|tren|trong|per)?\s*(?P<period>{_ALT(_PERIODS)})(?!\w)"
)


@dataclass(frozen=True)
class Pay:
    """One amount of pay found in an offer."""

    quote: str  # the offer's own words
    start: int  # where it starts in the normalised text
    low_vnd: float  # per period, in đồng
    high_vnd: float
    period: str  # month, day, hour, week, year, piece
    currency: str  # vnd, usd, yen, man: as the offer wrote it
    monthly_vnd: float | None  # the high end per month; None when paid per piece
    monthly_low_vnd: float | None = None  # the low end per month
    end: int = 0  # where it ends in the normalised text


def parse_number(text: str) -> float:
    """Vietnamese style: "1.500" is 1500, "7,8" is 7.8, "5.250.000" is 5250000."""
    groups = re.split(r"[.,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    return float(groups[0] + "." + "".join(groups[1:])) if len(groups) > 1 else float(text)


def _period_after(text: str, end: int) -> str:
    match = _PERIOD_AFTER.match(text[end : end + 25])
    return _PERIODS[match.group("period")] if match else ""


def _period_before(text: str, start: int, low_vnd: float) -> str:
    """ "mỗi ngày chỉ 2-3 tiếng là nhận được 300 nghìn": the period said before the amount."""
    if low_vnd >= DAY_PAY_CEILING:
        return "month"
    return "day" if _DAY_BEFORE.search(text[max(0, start - 45) : start]) else "month"


def _stint_days(text: str, start: int, period: str, days_per_month: float) -> float:
    """The days a day's rate is paid for: a holiday stint said just before it, or a month's working days."""
    stints = list(_STINT.finditer(text[max(0, start - 60) : start])) if period == "day" else []
    return min(float(stints[-1].group("days")), days_per_month) if stints else days_per_month


def _monthly(value: float, period: str, days_per_month: float, hours_per_day: float) -> float | None:
    factor = {"month": 1, "day": days_per_month, "hour": days_per_month * hours_per_day, "week": 4.33, "year": 1 / 12}
    return value * factor[period] if period in factor else None


def find_pay(
    normalised: NormalisedText, rates: dict[str, float], days_per_month: float = 26, hours_per_day: float = 8
) -> list[Pay]:
    """Every amount of money in the text that comes with a unit."""
    text = normalised.text
    found: list[Pay] = []
    taken: list[range] = []

    def add(start: int, end: int, low: float, high: float, currency: str = "vnd") -> None:
        if any(start in span for span in taken):
            return
        taken.append(range(start, end))
        period = _period_after(text, end) or _period_before(text, start, low)
        days = _stint_days(text, start, period, days_per_month)
        found.append(
            Pay(
                normalised.quote(start, end),
                start,
                low,
                high,
                period,
                currency,
                _monthly(high, period, days, hours_per_day),
                _monthly(low, period, days, hours_per_day),
                end,
            )
        )

    for pattern, usd in _WORDS.items():
        # Not "2 nghìn đô": that is a number with its units, read below.
        for match in re.finditer(rf"(?<!\d )(?<!\w){pattern}(?!\w)", text):
            add(match.start(), match.end(), usd * rates["usd"], usd * rates["usd"], "usd")
    for pattern, vnd in _WORDS_VND.items():
        for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", text):
            add(match.start(), match.end(), vnd, vnd)
    for match in _DOLLAR_FIRST.finditer(text):
        value = parse_number(match.group("low")) * rates["usd"]
        add(match.start(), match.end(), value, value, "usd")
    for match in _AMOUNT.finditer(text):
        multiplier, currency = match.group("mult") or match.group("lowmult"), match.group("cur")
        if not multiplier and not currency:
            continue
        scale = _MULTIPLIERS.get(multiplier, 1) * _currency_rate(currency, rates)
        low = parse_number(match.group("low"))
        high = parse_number(match.group("high")) if match.group("high") else low
        if low * 1000 <= high:
            low *= 1000  # "300 đến 500.000 đồng": the low end is in thousands too
        # "8-10 triệu": the unit after the range applies to both ends.
        add(match.start(), match.end(), low * scale, high * scale, _CURRENCIES.get(currency or "", "vnd"))
    return found


def _currency_rate(currency: str | None, rates: dict[str, float]) -> float:
    kind = _CURRENCIES.get(currency or "", "vnd")
    if kind == "vnd":
        return 1.0
    if kind == "man":  # 1 man = 10.000 yên, as Japan labour offers write it
        return 10_000 * rates["yen"]
    return rates[kind]
