"""`python -m actions.server --port 5055`: rasa_sdk's action server, closed to strangers.

rasa_sdk's own launcher listens on every interface, runs any action for
anyone, and answers an exception with the whole request (the tracker: every
message of the conversation). Here the same app
- listens on loopback unless ACTION_SERVER_HOST says otherwise,
- runs an action only for a caller presenting ACTION_SERVER_TOKEN
  (endpoints.yml sends it as a header),
- answers an action that failed with the safe "technical problem" reply,
  logging only the action's name, the error's type and where it was raised.
"""

from __future__ import annotations

import argparse
import contextlib
import hmac
import logging
import os
import traceback

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from contract.secrets import require_secrets, secret

logger = logging.getLogger(__name__)
TOKEN_HEADER = "X-Action-Token"
FALLBACK_RESPONSE = "utter_technical_problem"
# A long hand-off conversation is a few hundred kB of tracker; far below this.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def safe_failure_reply() -> dict:
    """What Rasa gets when an action raised: a reply the user can read, no events."""
    return {"events": [], "responses": [{"response": FALLBACK_RESPONSE}]}


def where_it_failed(error: BaseException) -> str:
    """File and line of each frame, never the error's message (it may quote the user)."""
    frames = traceback.extract_tb(error.__traceback__)
    return " < ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(frames[-4:]))


def protect(app: Sanic, token: str) -> Sanic:
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES

    @app.middleware("request")
    async def require_token(request: Request):
        if request.path == "/health":
            return None
        if not hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode(), token.encode()):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    # Registered after rasa_sdk's handler for the same type, so this one answers.
    @app.exception(Exception)
    async def failed(request: Request, error: Exception):
        action = "?"
        with contextlib.suppress(Exception):  # the body itself was the problem
            action = str((request.json or {}).get("next_action", "?"))[:80]
        logger.error("action %s failed: %s at %s", action, type(error).__name__, where_it_failed(error))
        if request.path == "/webhook" and action != "?":
            return response.json(safe_failure_reply(), status=200)
        return response.json({"error": "failed"}, status=500)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    require_secrets("actions")
    # No CORS: no browser has any business calling the action server.
    app = protect(create_app(args.actions, cors_origins=None), secret("ACTION_SERVER_TOKEN"))
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    logger.info("action server on %s:%s", host, args.port)
    app.run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
