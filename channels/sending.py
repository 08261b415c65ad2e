"""Sending to a platform: retries with exponential backoff, one chat's messages in order.

A platform call is an `attempt`: a coroutine function that sends one request
and raises `TryAgain` (rate limit, server error, timeout) or `Undeliverable`
(the platform refused for good). The sender retries the first, honouring the
platform's `retry_after`, and gives up on the second.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import httpx

logger = logging.getLogger(__name__)

Attempt = Callable[[], Awaitable[object]]

MAX_ATTEMPTS = 6
FIRST_DELAY_SECONDS = 0.5
LONGEST_DELAY_SECONDS = 30.0


class TryAgain(Exception):
    """The platform could not take the message now; `after` is its own wait, if it said one."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Undeliverable(Exception):
    """The platform refused the message; sending it again would not help."""


def check_http_status(response: httpx.Response) -> None:
    """Raise what an HTTP status means for a retry; return on success."""
    if response.status_code == 429:
        raise TryAgain("rate limited", after=_seconds(response.headers.get("Retry-After")))
    if response.status_code >= 500:
        raise TryAgain(f"server error {response.status_code}")
    if response.status_code >= 400:
        raise Undeliverable(f"refused with {response.status_code}")


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class ChatOrder:
    """One lock per chat, so one chat's messages leave in the order they were given."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat, (asyncio.Lock(), 0))
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat]
            if users == 1:
                del self._locks[chat]  # nobody waiting: do not keep a lock per user ever seen
            else:
                self._locks[chat] = (lock, users - 1)


class Sender:
    def __init__(
        self,
        platform: str,
        max_attempts: int = MAX_ATTEMPTS,
        first_delay: float = FIRST_DELAY_SECONDS,
        longest_delay: float = LONGEST_DELAY_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.platform = platform
        self.max_attempts = max_attempts
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.sleep = sleep
        self.order = ChatOrder()

    async def send_in_order(self, chat: str, attempts: Sequence[Attempt]) -> list[Undeliverable]:
        """Send each in turn, after everything given earlier for this chat; returns the refusals.

        A message the platform refuses for good is logged and skipped: the
        ones after it still go, as a person would carry on talking.
        """
        refusals: list[Undeliverable] = []
        async with self.order.hold(chat):
            for attempt in attempts:
                try:
                    await self.with_retries(attempt)
                except Undeliverable as refusal:
                    logger.error("%s refused a message: %s", self.platform, refusal)
                    refusals.append(refusal)
        return refusals

    async def with_retries(self, attempt: Attempt) -> object:
        for number in range(1, self.max_attempts + 1):
            try:
                return await attempt()
            except (TryAgain, httpx.TimeoutException, httpx.TransportError) as problem:
                if number == self.max_attempts:
                    raise Undeliverable(f"gave up after {number} attempts: {problem}") from problem
                delay = self._delay(number, problem)
                logger.warning("%s: %s; trying again in %.1fs", self.platform, describe(problem), delay)
                await self.sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, number: int, problem: Exception) -> float:
        backoff = min(self.first_delay * 2 ** (number - 1), self.longest_delay)
        asked = getattr(problem, "after", None)
        # The platform's own wait wins, even when longer than our longest backoff.
        return max(asked, backoff) if asked is not None else backoff


def describe(problem: Exception) -> str:
    """A failure as a log line may show it: its kind only, as an error's text can hold a URL with a user id."""
    return str(problem) if isinstance(problem, TryAgain) else type(problem).__name__
