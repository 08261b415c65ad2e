"""Rasa's calls to the action server and the NLG endpoint over connections kept open.

Rasa's `EndpointConfig.request` opens a new aiohttp session, and with it a new
TCP connection, for every call, and closes it afterwards: every action and
every reply of every turn paid for a connection set-up and tear-down on both
sides (the profile in docs/benchmarks.md). Here each event loop keeps one
session per endpoint configuration and hands it to Rasa's `request` in place
of a fresh one; the request itself (URL, headers, timeout, errors) is still
Rasa's. `python -m tracker.launch` installs it before Rasa starts, as it does
the response validator: Rasa builds its endpoints itself.

Idle connections are closed by this side after `IDLE_SECONDS`, before the
servers drop them (uvicorn and Sanic close after 5 s), so a request never goes
out on a connection the server is closing. A server that restarted simply gets
a new connection: the old one fails once, as the fresh one used to.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

IDLE_SECONDS = 2.0

# By event loop and endpoint (Rasa may copy an endpoint's configuration: the URL and headers say which it is).
_sessions: dict[tuple[int, str, tuple[tuple[str, str], ...]], aiohttp.ClientSession] = {}


class _KeptSession:
    """What `async with endpoint.session()` gives Rasa: the kept session, not closed on the way out."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def kept_session(endpoint: EndpointConfig) -> _KeptSession:
    loop = asyncio.get_running_loop()
    key = (id(loop), endpoint.url, tuple(sorted(endpoint.headers.items())))
    session = _sessions.get(key)
    if session is None or session.closed:
        session = aiohttp.ClientSession(
            headers=endpoint.headers,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
        )
        _sessions[key] = session
    return _KeptSession(session)


def install() -> None:
    # Basic auth would need the session Rasa makes; no endpoint here uses it.
    original = EndpointConfig.session

    def session(endpoint: EndpointConfig) -> Any:
        return original(endpoint) if endpoint.basic_auth else kept_session(endpoint)

    EndpointConfig.session = session
