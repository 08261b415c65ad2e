"""What every entrance of the bot service needs against a stranger's input.

- `BodyLimit`: an ASGI middleware that refuses a body past its route's limit,
  whether announced by Content-Length or sent in chunks, without reading on.
- `read_json`: a JSON body or None, never an exception (malformed, not UTF-8,
  nested deep enough to exhaust the parser's recursion).
- `RateLimit`: at most N events per key in a sliding window, in bounded memory.
- `client_address`: who is calling, believing X-Forwarded-For only from our proxies.
"""

from __future__ import annotations

import ipaddress
import json
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
MIB = 1024 * KIB


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses with 413 a request body longer than the limit of its path prefix (longest prefix wins)."""

    def __init__(self, app: ASGIApp, limits: Sequence[tuple[str, int]], default: int) -> None:
        self.app = app
        self.limits = sorted(limits, key=lambda item: -len(item[0]))
        self.default = default

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        announced = dict(scope.get("headers") or []).get(b"content-length")
        if announced is not None and (not announced.isdigit() or int(announced) > limit):
            await too_large()(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def noted_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, noted_send)
        except BodyTooLarge:
            if not started:
                await too_large()(scope, receive, send)


def too_large() -> JSONResponse:
    return JSONResponse({"error": "too_long"}, status_code=413)


async def read_json(request: Request) -> Any | None:
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError):
        return None


class RateLimit:
    """At most `count` events per key within `seconds`; remembers at most `keys` keys (oldest forgotten)."""

    def __init__(
        self, count: int, seconds: float, keys: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count = count
        self.seconds = seconds
        self.keys = keys
        self.clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        """Counts the event and says whether it is within the limit."""
        now = self.clock()
        events = self._events.pop(key, None) or deque()
        while events and events[0] <= now - self.seconds:
            events.popleft()
        allowed = len(events) < self.count
        if allowed:
            events.append(now)
        self._events[key] = events
        while len(self._events) > self.keys:
            self._events.popitem(last=False)
        return allowed

    def retry_after(self, key: str) -> int:
        events = self._events.get(key)
        if not events:
            return 0
        return max(1, int(events[0] + self.seconds - self.clock()) + 1)


def trusted_networks(spec: Iterable[str]) -> tuple[ipaddress._BaseNetwork, ...]:
    """TRUSTED_PROXIES: addresses or networks (CIDR) of the reverse proxies in front of the bot service."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def client_address(peer: str, forwarded_for: str, proxies: Sequence[ipaddress._BaseNetwork]) -> str:
    """The address a request comes from.

    X-Forwarded-For is believed only when the peer is one of our proxies, and
    only as far as our proxies wrote it: read from the right, the first address
    that is not a trusted proxy is the client (anything left of it the client
    could have typed).
    """
    if not _is_trusted(peer, proxies):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _is_trusted(hop, proxies):
            return hop
    return peer


def _is_trusted(address: str, proxies: Sequence[ipaddress._BaseNetwork]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def request_address(request: Request, proxies: Sequence[ipaddress._BaseNetwork]) -> str:
    peer = request.client.host if request.client else ""
    return client_address(peer, request.headers.get("x-forwarded-for", ""), proxies)
