"""Security headers on every response of the bot service, strictest on the staff console.

A plain ASGI middleware (not BaseHTTPMiddleware): it only adds headers to the
response start, so streamed answers pass through untouched.

No page runs inline script (the console's and the web chat's scripts are
static files; a JSON data block is not run), so the policy allows scripts only
from our own origin: text a user typed that slipped past autoescaping still
could not run. The console has no inline style either; the web chat page keeps
its inline style sheet, so the rest of the service allows inline style.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY = (
    "default-src 'none'; script-src 'self'; style-src {styles}; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
EVERY_RESPONSE: dict[str, str] = {
    "Content-Security-Policy": _POLICY.format(styles="'self' 'unsafe-inline'"),
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CONSOLE_RESPONSE: dict[str, str] = {
    **EVERY_RESPONSE,
    "Content-Security-Policy": _POLICY.format(styles="'self'"),
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
        wanted = (
            CONSOLE_RESPONSE
            if path == self.console_prefix or path.startswith(self.console_prefix + "/")
            else EVERY_RESPONSE
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:  # a route that set its own keeps it
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
