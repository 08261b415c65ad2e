"""The worker that takes platform events from the durable inbox and runs their turns.

A webhook's events are in the inbox (channels.store `channel_inbox`) before
the platform is answered 200. This worker, one per channel in each Rasa
process, leases the oldest unfinished event of each user (never two of one
user at once, whichever instance holds them), runs the turn, and marks the
event done only when the turn has returned, that is when every reply was sent
or recorded as undeliverable. While a turn runs its lease is renewed; a worker
that dies stops renewing, and after the lease runs out another worker (or the
restarted process) takes the event again.

What a turn run again finds (Rasa 3.6, rasa/core/processor.py `handle_message`):
Rasa saves the tracker once, at the end of the turn, after every reply was
handed to the output channel. So a crash mid-turn leaves the tracker without
that turn: running it again replays the same message on the same state and
gives the same replies in the same order. The replies already sent are known
by their index in the turn (`channel_inbox_replies`) and skipped. A crash
after the tracker was saved but before the event was marked done leaves a
turn whose replies were all sent: the tracker holds the user message with this
event's id in its metadata (`INBOX_KEY`), and the event is only marked done.
A reply is marked sent with the turn's next record (channels.core
`PlatformOutput.send_response`), so a crash between a platform accepting a
reply and that record leaves it attempted but not marked sent: the platforms
have no idempotency key, so the output asks the platform whether it has it
(Zalo's conversation API) and otherwise sends it again (`sent_before`).

When the action server or the bot service (the NLG endpoint) is down, Rasa
does not fail the turn: it logs "Encountered an exception while running
action" and carries on without that action's replies (processor `_run_action`),
then saves the tracker. The worker notices that log record (`_ActionFailures`)
and gives the event back to be run again a little later, marked `rerun` so the
saved turn does not count as done; the replies already sent are skipped as
above. The tracker then holds the user's message once per attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.events import UserUttered

logger = logging.getLogger(__name__)

# Long enough for a slow turn between two renewals, short enough that a crashed
# instance's events are taken again soon.
LEASE_SECONDS = float(os.environ.get("CHANNEL_INBOX_LEASE_SECONDS", "30"))
POLL_SECONDS = 0.5
# A turn that raised is tried again after this long, not at once in a loop.
RETRY_AFTER_SECONDS = 5.0
MAX_TURNS_AT_ONCE = 8
# After this many attempts an event is given up (logged), so one user's later messages are not held for ever.
MAX_ATTEMPTS = 30
# How long a SIGTERM waits for the turns in progress before Rasa stops (within
# Docker's 10 s before its SIGKILL; an unfinished turn runs again after the lease).
SHUTDOWN_GRACE_SECONDS = 8.0
# Where the inbox event id rides in the user message's metadata (and so in the tracker).
INBOX_KEY = "inbox_event"


@dataclass
class Claimed:
    id: int
    event: str
    attempts: int
    # The last attempt ran to its end but an action failed: run it again even if the tracker holds it.
    rerun: bool = False
    # Replies of this run the platform accepted that are not marked sent yet
    # (indexes; channels.core `PlatformOutput.send_response` says when they are).
    accepted: list[int] = field(default_factory=list)


class TurnFailed(Exception):
    pass


# The failures Rasa logged during the turn that this task runs (None outside a turn).
_turn_failures: ContextVar[list | None] = ContextVar("inbox_turn_failures", default=None)


class _ActionFailures(logging.Filter):
    """Counts the actions Rasa gave up on during an inbox turn; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _turn_failures.get()
        if (
            failures is not None
            and record.exc_info
            and str(record.msg).startswith("Encountered an exception while running action")
        ):
            failures.append(record.exc_info[0].__name__ if record.exc_info[0] else "error")
        return True


logging.getLogger("rasa.core.processor").addFilter(_ActionFailures())


RunTurn = Callable[[Claimed], Awaitable[None]]


@dataclass
class InboxWorker:
    """Takes one platform's events from the inbox and runs `run_turn` for each."""

    store: Any  # channels.store.ChannelStore
    platform: str
    run_turn: RunTurn
    name: str = field(default_factory=lambda: f"{os.getpid()}-{uuid.uuid4().hex[:8]}")
    _running: dict[int, asyncio.Task] = field(default_factory=dict)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: bool = False
    _loops: set[asyncio.Task] = field(default_factory=set)
    # The last look filled every free place (or there was none): more events may be waiting.
    _more_may_wait: bool = False

    def start(self) -> None:
        self._loops = {asyncio.ensure_future(self._take_events()), asyncio.ensure_future(self._renew_leases())}

    def wake(self) -> None:
        """A new event was queued here: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Take no new event; let the turns in progress finish (within `grace`)."""
        self._stopping = True
        self._wake.set()
        if self._running:
            await asyncio.wait(list(self._running.values()), timeout=grace)
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)

    async def idle(self) -> None:
        """For tests: wait until no turn runs here."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _take_events(self) -> None:
        while not self._stopping:
            # Cleared before the look, not after: an event queued during it wakes the next one.
            self._wake.clear()
            free = MAX_TURNS_AT_ONCE - len(self._running)
            self._more_may_wait = free <= 0
            if free > 0:
                try:
                    rows = await asyncio.to_thread(self.store.claim, self.platform, self.name, LEASE_SECONDS, free)
                    self._more_may_wait = len(rows) >= free
                    for row in rows:
                        self._start_turn(Claimed(row["id"], row["event"], row["attempts"], row["rerun"]))
                except Exception:
                    logger.exception("%s: the inbox could not be read; trying again", self.platform)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)

    def _start_turn(self, claimed: Claimed) -> None:
        task = asyncio.ensure_future(self._turn(claimed))
        self._running[claimed.id] = task
        task.add_done_callback(lambda finished: self._after_turn(claimed.id, finished))

    def _after_turn(self, event_id: int, finished: asyncio.Task) -> None:
        self._running.pop(event_id, None)
        # Look again only when that can find something: the user's next event,
        # now free, or events left waiting for a free place. Anything else (an
        # event given back, another instance's) is found by the poll.
        if finished.cancelled() or finished.exception() is not None or finished.result() or self._more_may_wait:
            self._wake.set()

    async def _turn(self, claimed: Claimed) -> bool:
        """Runs one event's turn; returns whether the user's next event now waits to be taken."""
        if claimed.attempts > MAX_ATTEMPTS:
            logger.error("%s: an event failed %d times and was given up", self.platform, MAX_ATTEMPTS)
            return await asyncio.to_thread(self.store.done, claimed.id)
        failures: list = []
        _turn_failures.set(failures)  # this task's own context: other turns keep theirs
        try:
            await self.run_turn(claimed)
            if failures:
                raise TurnFailed(", ".join(failures))
        except Exception as problem:
            logger.warning(
                "%s: a turn failed (%s); its event is tried again in %.0fs",
                self.platform,
                type(problem).__name__,
                RETRY_AFTER_SECONDS,
            )
            await asyncio.to_thread(
                self.store.release, claimed.id, self.name, RETRY_AFTER_SECONDS, bool(failures), tuple(claimed.accepted)
            )
            return False
        return await asyncio.to_thread(self.store.done, claimed.id)

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            try:
                await asyncio.to_thread(self.store.renew, list(self._running), self.name, LEASE_SECONDS)
            except Exception:
                logger.exception("%s: inbox leases could not be renewed", self.platform)


def turn_in_tracker(tracker: Any | None, event_id: int) -> bool:
    """Whether Rasa saved a turn for this inbox event (a crash after the turn, before it was marked done)."""
    if tracker is None:
        return False
    return any(
        isinstance(event, UserUttered) and (event.metadata or {}).get(INBOX_KEY) == event_id for event in tracker.events
    )
