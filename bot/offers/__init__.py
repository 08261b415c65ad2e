"""Checking a job offer for the warning signs of scam-compound recruitment."""

from bot.offers.checker import HIGH, LOW, MEDIUM, UNCLEAR, OfferChecker, SignFound, Verdict

__all__ = ["HIGH", "LOW", "MEDIUM", "UNCLEAR", "OfferChecker", "SignFound", "Verdict"]
