"""Security headers on every response of the bot service, strictest on the staff console.

A plain ASGI middleware (not BaseHTTPMiddleware): it only adds headers to the
response start, so streamed answers pass through untouched.

The console's pages have no inline script or style (bot/static/console/), so
its policy allows only files from its own origin: text a user typed that
slipped past autoescaping still could not run. The web chat page still has an
inline script, so the rest of the service gets the parts of the policy that
need no change to it: no framing, no plugins, no <base> rewriting.
"""
from __future__ import annotations

from typing import Dict

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EVERY_RESPONSE: Dict[str, str] = {
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CONSOLE_RESPONSE: Dict[str, str] = {
    **EVERY_RESPONSE,
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    # Transcripts must not stay in a shared computer's browser cache or a proxy's.
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, console_prefix: str = "/staff") -> None:
        self.app = app
        self.console_prefix = console_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        wanted = CONSOLE_RESPONSE if path == self.console_prefix or path.startswith(self.console_prefix + "/") else EVERY_RESPONSE

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:  # a route that set its own keeps it
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
