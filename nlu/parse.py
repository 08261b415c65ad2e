"""Parsing messages with a trained model, outside the Rasa server (for evaluation)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


def parsed_lines(model: Path, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One result per line, with the model loaded once."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Results go to stdout, one JSON object a line: logs go to stderr, and at
    # warning level, because Rasa's debug lines would print the users' text.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    from rasa.core.agent import Agent  # imported here: loading Rasa takes seconds
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    try:
        for line in lines:
            text = line.rstrip("\n")
            result = loop.run_until_complete(agent.parse_message(text))
            intent = result.get("intent") or {}
            yield {
                "text": text,
                "intent": intent.get("name"),
                "confidence": intent.get("confidence"),
                "entities": [
                    {k: e[k] for k in ("entity", "value", "start", "end") if k in e}
                    for e in result.get("entities") or []
                ],
            }
    finally:
        loop.close()
