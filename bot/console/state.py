"""What the console's handlers work with, kept on the console app's state (request.app.state.console)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request

from bot.console.accounts import KnownDevices, LoginThrottle
from bot.content import LiveContent
from bot.content.kinds.handoff import HandoffSettings
from bot.guards import request_address
from bot.handoff.delivery import Delivery
from bot.store import Database, StaffAccount


@dataclass
class Console:
    db: Database
    content: LiveContent
    delivery: Delivery
    throttle: LoginThrottle  # in memory: see accounts.LoginThrottle
    devices: KnownDevices
    proxies: Sequence[ipaddress._BaseNetwork]  # TRUSTED_PROXIES: the only peers whose X-Forwarded-For is believed
    secure_cookies: bool  # the device cookie, like the session's, goes over HTTPS only
    check_password: Callable[[str, str], StaffAccount | None]  # (name, password): the account, or None

    def handoff(self) -> HandoffSettings:
        """content/handoff.yml, as last read without problems."""
        settings = self.content.templates.content.handoff
        if settings is None:
            raise LookupError("content/handoff.yml is missing: the console has no questions or outcomes to show")
        return settings

    def requester(self, request: Request) -> str:
        """The client's address, as the login throttle and the audit log count it."""
        return request_address(request, self.proxies) or "?"


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console
