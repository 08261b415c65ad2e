"""Every platform limit the connectors respect, in one place.

Lengths of text are counted in UTF-16 code units (`channels.text.text_length`),
which is what Telegram and Meta count and never less than Python's `len`, so a
message within these limits is within them however the platform counts.
Values marked (unverified) come from a single source; see docs/channels.md.
"""

# --- all platforms -------------------------------------------------------------------

MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
"""A webhook body larger than this is refused with 413 before it is parsed."""

DELIVERY_MEMORY_DAYS = 7
"""How long a platform message id is remembered, so a redelivery gets no second reply."""

BUTTON_PAYLOAD_MEMORY_DAYS = 90
"""How long a long button payload stays behind its short key (a user may tap an old button)."""


class TelegramLimit:
    MAX_TEXT_LENGTH = 4096
    """Text of one message (sendMessage `text`)."""

    MAX_CALLBACK_DATA_BYTES = 64
    """`callback_data` of an inline keyboard button, 1-64 bytes of UTF-8."""


class ZaloLimit:
    MAX_TEXT_LENGTH = 2000
    """Text of one customer-service message (`/v3.0/oa/message/cs`)."""

    MAX_BUTTONS = 5
    """Buttons of one template message (unverified: kept to the smallest figure seen)."""


class MessengerLimit:
    MAX_TEXT_LENGTH = 2000
    """Text of one message (unverified)."""

    MAX_QUICK_REPLIES = 13
    """Quick replies attached to one message."""

    MAX_QUICK_REPLY_TITLE = 20
    """Characters of a quick reply title shown before Messenger cuts it."""

    MAX_TEMPLATE_BUTTONS = 3
    """Buttons of one button template."""

    MAX_TEMPLATE_TEXT_LENGTH = 640
    """Text of one button template."""

    MAX_BUTTON_TITLE = 20
    """Characters of a template button title."""

    MAX_PAYLOAD_LENGTH = 1000
    """Payload of a quick reply or postback button."""
