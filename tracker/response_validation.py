"""Rasa's checks of action server and NLG responses, with each JSON schema validator built once.

Rasa checks every action server response with `jsonschema.validate(result,
spec)`, which first re-checks the schema itself and builds a new validator:
with the installed jsonschema that is ~16 ms per response, against ~0.6 ms
with a validator built once (docs/benchmarks.md). Half of a turn's time went
there under load. The spec, the errors raised and their message are Rasa's;
only the validator is kept. `python -m tracker.launch` installs it before Rasa
starts (Rasa builds its RemoteAction objects itself, so there is no subclass
to configure); `tracker.nlg.SlotsOnlyNLG` checks NLG responses with
`validate_nlg_response`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import nlg_response_format_spec
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.exceptions import RasaException


def validator_for(spec: dict[str, Any]) -> Draft202012Validator:
    validator_class = validators.validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


@cache
def action_response_validator() -> Draft202012Validator:
    return validator_for(RemoteAction.action_response_format_spec())


@cache
def nlg_response_validator() -> Draft202012Validator:
    return validator_for(nlg_response_format_spec())


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, the same errors, without rebuilding the validator."""
    error: ValidationError | None = exceptions.best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def validate_nlg_response(content: dict[str, Any] | None) -> bool:
    """`CallbackNaturalLanguageGenerator.validate_response`, the same errors, without rebuilding the validator."""
    if content is None or content == "":
        return True  # the endpoint did not want to respond with anything
    error: ValidationError | None = exceptions.best_match(nlg_response_validator().iter_errors(content))
    if error is None:
        return True
    raise RasaException(
        f"{error.message}. Failed to validate NLG response from API, make sure "
        f"your response from the NLG endpoint is valid. "
        f"For more information about the format please consult the "
        f"`nlg_response_format_spec` function from this same module: "
        f"https://github.com/RasaHQ/rasa/blob/main/rasa/core/nlg/callback.py"
    )


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
