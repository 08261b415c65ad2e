"""Every platform limit the connectors respect, in one place, and how text is measured against them.

Lengths of text are counted in UTF-16 code units (`text_length`), never less
than Python's `len`, so a message within these limits is within them however
the platform counts. Telegram counts UTF-16 code units (Bot API, "Formatting
options" and MessageEntity: "offset/length in UTF-16 code units",
https://core.telegram.org/bots/api#messageentity); Meta's Messenger counts as
JavaScript does, in UTF-16 code units: an emoji is two (docs/channels.md,
"Quick replies"). Content check (bot/content/check.py) and the staff
console (bot/console/app.py) measure with the same function, so what they
accept the connectors send unchanged.
Values marked (unverified) come from a single source; see docs/channels.md.
"""


def text_length(text: str) -> int:
    """Length as Telegram and Meta count it: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def cut_to(text: str, limit: int) -> str:
    """The start of `text` within `limit` UTF-16 units, never cutting an emoji in half."""
    if text_length(text) <= limit:
        return text
    kept = text[:limit]  # a code point is at least one unit: never shorter than the answer
    while text_length(kept) > limit:
        kept = kept[:-1]
    return kept


# --- all platforms -------------------------------------------------------------------

MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
"""A webhook body larger than this is refused with 413 before it is parsed."""

DELIVERY_MEMORY_DAYS = 7
"""How long a platform message id is remembered, so a redelivery gets no second reply."""

BUTTON_PAYLOAD_MEMORY_DAYS = 90
"""How long a long button payload stays behind its short key (a user may tap an old button)."""

MAX_WEBCHAT_TEXT = 5000
"""A web chat message (issue 10): the bot service refuses a longer one (bot/webchat.py), and so
does Rasa's web chat channel behind it (channels/webchat.py)."""

MAX_UNDOCUMENTED_INBOUND_TEXT = MAX_WEBCHAT_TEXT
"""Where a platform does not say how long a user's message may be: the web
chat's cap, longer than any job offer in tests/data."""


class TelegramLimit:
    MAX_TEXT_LENGTH = 4096
    """Text of one message (sendMessage `text`); also what a user can send
    (Bot API, Message.text "0-4096 characters")."""

    MAX_SECRET_TOKEN_LENGTH = 256
    """setWebhook `secret_token`: 1-256 characters of A-Z a-z 0-9 _ - (Bot API;
    python-telegram-bot 22.8 telegram/_bot.py `set_webhook`)."""

    CALLBACK_ANSWER_SECONDS = 5
    """Not documented by Telegram: a late answerCallbackQuery fails with "query is
    too old and response timeout expired"; the fake refuses after this many seconds,
    and the connector answers on arrival, before the user's earlier turns are done."""

    MAX_CALLBACK_DATA_BYTES = 64
    """`callback_data` of an inline keyboard button, 1-64 bytes of UTF-8."""


class ZaloLimit:
    MAX_TEXT_LENGTH = 2000
    """Text of one customer-service message (`/v3.0/oa/message/cs`)."""

    MAX_BUTTONS = 5
    """Buttons of one template message (unverified: kept to the smallest figure seen)."""

    MAX_BUTTON_TITLE = 100
    """Characters of a button title (community typings of the OA API mark "Max length: 100"; unverified)."""

    MAX_QUERY_PAYLOAD = 1000
    """Characters of an oa.query.* payload (undocumented; kept to Messenger's figure). A
    longer payload is not cut (a cut payload is garbage): its button is left out."""

    FREE_REPLY_HOURS = 48
    """A customer-service message is free within 48 hours of the user's last message;
    from 48 hours to 7 days it is paid through a Zalo Cloud Account (errors -320/-321
    without one); after 7 days it is refused (-230). docs/channels.md cites the sources."""

    REPLY_DAYS = 7

    MAX_WEBHOOK_AGE_SECONDS = 3600
    """A signed webhook older than this is refused: a captured one cannot be replayed
    after the 7-day delivery memory forgets it. Community notes report Zalo retrying a
    webhook for about an hour (30 s, 5 min, 15 min, 30 min, 1 h), so an hour keeps every
    retry; five minutes more the other way for clocks that disagree."""

    MAX_WEBHOOK_CLOCK_SKEW_SECONDS = 300

    MAX_CONVERSATION_COUNT = 10
    """Messages one call of the conversation API (`/v2.0/oa/conversation`) returns at most:
    integrators page it 10 at a time and one notes "tối đa 10" (unverified)."""


class MessengerLimit:
    MAX_TEXT_LENGTH = 2000
    """Text of one message (unverified)."""

    STANDARD_WINDOW_HOURS = 24
    """Any message within 24 hours of the user's last one (messaging_type RESPONSE)."""

    HUMAN_AGENT_DAYS = 7
    """With the HUMAN_AGENT tag (App Review grants it), a person's reply up to 7 days after."""

    MAX_QUICK_REPLIES = 13
    """Quick replies attached to one message."""

    MAX_QUICK_REPLY_TITLE = 20
    """Characters of a quick reply title shown before Messenger cuts it, counted in UTF-16 units."""

    MAX_TEMPLATE_BUTTONS = 3
    """Buttons of one button template."""

    MAX_TEMPLATE_TEXT_LENGTH = 640
    """Text of one button template."""

    MAX_BUTTON_TITLE = 20
    """Characters of a template button title."""

    MAX_PAYLOAD_LENGTH = 1000
    """Payload of a quick reply or postback button."""


# --- what content must fit wherever it is shown --------------------------------------

STRICTEST_TEXT_LENGTH = min(TelegramLimit.MAX_TEXT_LENGTH, ZaloLimit.MAX_TEXT_LENGTH, MessengerLimit.MAX_TEXT_LENGTH)
"""The longest message every platform takes as one (Zalo's and Messenger's 2,000): content check
keeps each message within it, and the staff console each reply."""

STRICTEST_BUTTON_TITLE = min(
    ZaloLimit.MAX_BUTTON_TITLE, MessengerLimit.MAX_QUICK_REPLY_TITLE, MessengerLimit.MAX_BUTTON_TITLE
)
"""The longest button title every platform shows whole (Messenger's 20)."""
