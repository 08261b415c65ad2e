"""Passing staff news to the user, on the channel they last wrote from.

The bot service triggers the external intent `EXTERNAL_handoff_update` through
Rasa's HTTP API with `output_channel=latest`. Rasa runs the hand-off loop,
which reads what to say from the database, renders it through the NLG endpoint
and sends it with the channel connector the user last used: one path for
every platform, the platform formatting stays in the connectors, and what was
said is in the conversation's tracker like any other bot message. The web
chat (Rasa's REST channel) gets the messages back in the API's answer; they
wait in the web chat outbox until the page fetches them.

Rasa's API is started with a token and listens on loopback only.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

import httpx
import jwt
from sqlalchemy import delete, select

from bot.store import Database, WebchatOutbox
from contract.identity import user_key_for
from contract.names import HANDOFF_UPDATE_INTENT

logger = logging.getLogger(__name__)
LONGEST_RETRY_SECONDS = 300
JWT_SECONDS = 60


def rasa_api_headers(jwt_secret: str) -> dict[str, str]:
    """Rasa's HTTP API accepts a JWT signed with RASA_JWT_SECRET (tracker/launch.py); short-lived, in a header."""
    claims = {"user": {"username": "bot-service", "role": "admin"}, "exp": int(time.time()) + JWT_SECONDS}
    return {"Authorization": "Bearer " + jwt.encode(claims, jwt_secret, algorithm="HS256")}


class Delivery:
    def __init__(self, db: Database, rasa: httpx.AsyncClient, jwt_secret: str, secret_key: str) -> None:
        self.db = db
        self.rasa = rasa
        self.jwt_secret = jwt_secret
        self.secret_key = secret_key
        # conversation -> (failures so far, monotonic time of the next try)
        self._backoff: dict[str, tuple] = {}

    async def deliver(
        self, conversation_id: str, intent: str = HANDOFF_UPDATE_INTENT, entities: dict[str, str] | None = None
    ) -> bool:
        """Ask Rasa to tell the user what is waiting; False when Rasa could not be reached.

        `intent` names the news (staff replies by default; a confirmed report,
        bot/knownscams/notices.py), `entities` what the action needs to say it.
        """
        try:
            response = await self.rasa.post(
                # Rasa takes the id from the path as it is, undecoded: "zalo%3A123" would be
                # another conversation. Platform ids are "zalo:<digits>"; web chat ids are checked.
                f"/conversations/{quote(conversation_id, safe=':')}/trigger_intent",
                params={"output_channel": "latest"},
                headers=rasa_api_headers(self.jwt_secret),
                json={"name": intent, "entities": entities or {}},
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            self._failed(conversation_id)
            logger.error("could not pass staff news to a conversation: %s", type(error).__name__)
            return False
        self._backoff.pop(conversation_id, None)
        self._keep_for_webchat(conversation_id, response.json().get("messages") or [])
        return True

    def ready(self, conversation_id: str) -> bool:
        return self._backoff.get(conversation_id, (0, 0.0))[1] <= time.monotonic()

    def _failed(self, conversation_id: str) -> None:
        failures = self._backoff.get(conversation_id, (0, 0.0))[0] + 1
        self._backoff[conversation_id] = (failures, time.monotonic() + min(2**failures, LONGEST_RETRY_SECONDS))

    def _keep_for_webchat(self, conversation_id: str, messages: list[dict]) -> None:
        shown = [m for m in messages if m.get("text") or m.get("buttons") or m.get("image")]
        if not shown:
            return
        key = user_key_for(conversation_id, self.secret_key)
        with self.db.session() as session:
            for message in shown:
                session.add(
                    WebchatOutbox(
                        user_key=key, message={k: message[k] for k in ("text", "buttons", "image") if k in message}
                    )
                )

    def take_webchat_messages(self, sender: str) -> list[dict]:
        key = user_key_for(sender, self.secret_key)
        with self.db.session() as session:
            rows = (
                session.execute(select(WebchatOutbox).where(WebchatOutbox.user_key == key).order_by(WebchatOutbox.id))
                .scalars()
                .all()
            )
            if rows:
                session.execute(delete(WebchatOutbox).where(WebchatOutbox.id.in_([r.id for r in rows])))
            return [row.message for row in rows]
