"""Rasa's NLG callback, sending the bot service what it renders from and nothing more.

Rasa's own callback (`rasa.core.nlg.callback`) serialises the whole tracker,
every event of the conversation, into every NLG request: a turn costs
O(events) before the bot service has read a byte, and a long hand-off sends a
few hundred kB per reply. The bot service renders from the response name, its
arguments, the channel and the slots (bot/service.py `render_response`), so
that is all this sends. Named in endpoints.yml as `nlg: type: tracker.nlg.SlotsOnlyNLG`;
the URL and headers stay as they were.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from tracker.response_validation import validate_nlg_response


def slots_only_request(
    response: str, tracker: DialogueStateTracker, channel: str, arguments: dict[str, Any]
) -> dict[str, Any]:
    """The body of one NLG request: the shape of Rasa's, with the tracker cut down to its slots."""
    return {
        "response": response,
        "id": arguments.pop("response_id", None),
        "arguments": arguments,
        "tracker": {"slots": tracker.current_slot_values()},
        "channel": {"name": channel},
    }


class SlotsOnlyNLG(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        # Rasa passes the domain to a custom generator; the callback needs only the endpoint.
        super().__init__(endpoint_config)

    @staticmethod
    def validate_response(content: dict[str, Any] | None) -> bool:
        # Rasa's check, with the schema validator built once instead of for every reply.
        return validate_nlg_response(content)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any]:
        domain_responses = kwargs.pop("domain_responses", None)
        kwargs["response_id"] = self.fetch_response_id(utter_action, tracker, output_channel, domain_responses)
        body = slots_only_request(utter_action, tracker, output_channel, kwargs)
        response = await self.nlg_endpoint.request(method="post", json=body, timeout=DEFAULT_REQUEST_TIMEOUT)
        if isinstance(response, dict) and self.validate_response(response):
            return response
        raise RasaException("NLG web endpoint returned an invalid response.")
