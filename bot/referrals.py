"""Which verified contacts fit what the user said (content/referrals.yml, hotlines.yml).

Where the person is carries over the whole conversation: someone who said
"I'm in Laos" three messages ago cannot dial 111 or 113 now either.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.kinds.referrals import ReferralSettings
from nlu.normalise import normalise_with_origin

DANGER_ABROAD, DANGER_HOME, MAIN_LINES = "danger_abroad", "danger_home", "main_lines"
LOST_MONEY = "lost_money"  # money already paid: what to do now comes first
WORRIED_FAMILY = "worried_family"  # its phrases also say the person in danger is someone else
# Situations the code chooses without phrases (danger, or nothing else fits): each still needs its message.
CHOSEN_SITUATIONS = (DANGER_ABROAD, DANGER_HOME, MAIN_LINES)
# Situations the code asks for by id (actions/referrals.py): content/referrals.yml must keep them.
NAMED_SITUATIONS = (LOST_MONEY, WORRIED_FAMILY)


@dataclass(frozen=True)
class Referral:
    situation: str
    embassy: str | None = None  # a hotline id, where a verified embassy line exists
    abroad: bool = False
    advice: tuple[str, ...] = ()  # for what the latest message adds: a ransom demand, a taken passport...
    # A parent or a friend writes about the person in danger: "you are not to blame" is not for them.
    for_someone_else: bool = False

    @property
    def response(self) -> str:
        return f"utter_referral_{self.situation}"


def where(text: str, settings: ReferralSettings) -> tuple[bool, str | None]:
    """(abroad, embassy hotline id) from everything the user said; back home if they said so after the place."""
    normalised = normalise_with_origin(text)
    embassy_places = [(match, hotline) for places, hotline in settings.embassies for match in places.find(normalised)]
    places = [match for match, _ in embassy_places] + settings.abroad_places.find(normalised)
    if not places:
        return False, None
    returns = settings.back_home.find(normalised) if settings.back_home else []
    if returns and max(r.start for r in returns) > max(p.start for p in places):
        return False, None
    return True, next((hotline for _, hotline in embassy_places), None)


def is_there_now(text: str, settings: ReferralSettings) -> bool:
    """ "gio e dang o bavet roi, ho cho xe toi don": the writer is abroad now, telling what is happening.

    Not an ad to check: such a message names a place and a job, and reads like one.
    """
    if settings.there_now is None or not where(text, settings)[0]:
        return False
    return bool(settings.there_now.find(normalise_with_origin(text)))


def advice_for(text: str, settings: ReferralSettings) -> tuple[str, ...]:
    """One line of advice for each fact the text tells (content/referrals.yml, `facts`)."""
    normalised = normalise_with_origin(text)
    return tuple(advice for _, phrases, advice in settings.facts if phrases.find(normalised))


def about_someone_else(text: str, settings: ReferralSettings) -> bool:
    """ "con tôi bị giữ bên cam": a worried family member or friend, not the person held."""
    normalised = normalise_with_origin(text)
    return any(phrases.find(normalised) for sid, phrases in settings.situations if sid == WORRIED_FAMILY)


def referral_for(text: str, settings: ReferralSettings, in_danger: bool, earlier: str = "") -> Referral:
    """`text` is the latest message; `earlier` what the user wrote before in this conversation."""
    abroad, embassy = where(earlier + "\n" + text, settings)
    advice = advice_for(text, settings)
    if in_danger:
        situation = DANGER_ABROAD if abroad else DANGER_HOME
        return Referral(situation, embassy, abroad, advice, about_someone_else(earlier + "\n" + text, settings))
    normalised = normalise_with_origin(text)
    situation = next((sid for sid, phrases in settings.situations if phrases.find(normalised)), MAIN_LINES)
    if situation == MAIN_LINES and about_someone_else(earlier, settings):
        # "làm sao để tìm" after "bạn em mất liên lạc bên cam": still the family's referral.
        situation = WORRIED_FAMILY
    return Referral(situation, embassy, abroad, advice)
