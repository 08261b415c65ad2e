"""`python -m tracker.launch [rasa run options]`: `rasa run` with its secrets from the environment.

Rasa takes the HTTP API's secret only as a command-line option, where `ps`
shows it to every user of the machine. Started through here, the secret is put
into this process's arguments after it started, so the command line the
system shows never holds it. The API then accepts only a JWT signed with
RASA_JWT_SECRET (sent in the Authorization header, never in a query string).
"""

from __future__ import annotations

import os
import sys

from contract.secrets import require_secrets, secret


def main() -> None:
    # Rasa's telemetry would report usage to a third party; nothing leaves this deployment.
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    require_secrets("rasa")
    sys.argv = [
        "rasa",
        "run",
        *sys.argv[1:],
        "--enable-api",
        "--jwt-secret",
        secret("RASA_JWT_SECRET"),
        "--jwt-method",
        "HS256",
    ]
    from rasa.__main__ import main as rasa_main

    from tracker import action_payload, kept_connections, response_validation

    response_validation.install()
    kept_connections.install()
    action_payload.install()
    rasa_main()


if __name__ == "__main__":
    main()
