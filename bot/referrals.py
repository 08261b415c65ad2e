"""Which verified contacts fit what the user said (content/referrals.yml, hotlines.yml)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.content.model import ReferralSettings
from nlu.normalise import normalise_with_origin

DANGER_ABROAD, DANGER_HOME, MAIN_LINES = "danger_abroad", "danger_home", "main_lines"


@dataclass(frozen=True)
class Referral:
    situation: str
    embassy: Optional[str] = None  # a hotline id, where a verified embassy line exists

    @property
    def response(self) -> str:
        return f"utter_referral_{self.situation}"


def referral_for(text: str, settings: ReferralSettings, in_danger: bool) -> Referral:
    normalised = normalise_with_origin(text)
    if in_danger:
        embassy = next((hotline for places, hotline in settings.embassies if places.find(normalised)), None)
        abroad = embassy is not None or bool(settings.abroad_places.find(normalised))
        return Referral(DANGER_ABROAD if abroad else DANGER_HOME, embassy)
    situation = next((sid for sid, phrases in settings.situations if phrases.find(normalised)), MAIN_LINES)
    return Referral(situation)
