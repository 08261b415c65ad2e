"""Names that two processes must spell the same: intents nobody types, action names, message kinds.

The domain (domain.yml) declares the intents; these are the ones that code
outside Rasa's dialogue produces or recognises.
"""

# --- intents the assistant's own processes produce, never a user -------------------

EXTERNAL_PREFIX = "EXTERNAL_"
"""Intents the bot service triggers through Rasa's API (Rasa's convention for external events)."""

HANDOFF_UPDATE_INTENT = f"{EXTERNAL_PREFIX}handoff_update"
"""Staff news for a user in a hand-off: triggered by bot/handoff/delivery.py, handled by actions/handoff.py."""

REPORT_CONFIRMED_INTENT = f"{EXTERNAL_PREFIX}report_confirmed"
"""A report the user asked to hear back about was confirmed: triggered by bot/knownscams/notices.py with
the report's id as the entity REPORT_ID_ENTITY, handled by actions/reports.py."""

REPORT_ID_ENTITY = "report_id"

UNSUPPORTED_MESSAGE_INTENT = "unsupported_message"
PLATFORM_FOLLOW_INTENT = "platform_follow"
PLATFORM_EVENT_INTENTS = (UNSUPPORTED_MESSAGE_INTENT, PLATFORM_FOLLOW_INTENT)
"""What the connectors send for a platform event (a sticker, a new follower): no NLU examples."""

CHECK_JOB_OFFER_INTENT = "check_job_offer"
"""What a screenshot reaches Rasa as (from a connector or the web chat), its image in the metadata."""

# --- what Rasa writes into its events ---------------------------------------------

BOT_RESPONSE_KEY = "_".join(("utter", "action"))
"""Rasa's key in a bot event's metadata naming the response that was sent (not itself a response):
read by actions/session.py, kept by tracker/action_payload.py when it cuts older events down."""

# --- actions whose running other processes watch ---------------------------------

ACTION_DELETE_MY_DATA = "action_delete_my_data"
"""The tracker store (tracker/erasable_store.py) forgets the conversation of a turn that ran it."""

# --- what kind of message a response is ----------------------------------------

MESSAGE_KIND_KEY = "message_kind"
STAFF_REPLY_KIND = "staff_reply"
"""Set by the hand-off loop (actions/handoff.py) in a response's custom part for a person's reply;
the connectors read it (channels.core.Reply.staff_reply), and Messenger may send such a reply
after its 24-hour window with the HUMAN_AGENT tag."""

WEBCHAT_SECRET_HEADER = "X-Webchat-Secret"
"""How the bot service (bot/webchat.py) proves to Rasa's web chat channel (channels/webchat.py)
that a message comes from it: WEBCHAT_CHANNEL_SECRET in this header."""
