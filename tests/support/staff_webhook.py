"""A staff chat tool's webhook, as the bot service announces new cases to it; it can be switched off."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STAFF_WEBHOOK_SECRET = "staff-webhook-secret"


class StaffWebhook:
    """Where new cases are announced (as a staff chat tool would receive them); can be switched off."""

    def __init__(self) -> None:
        self.received = []
        self.refused = 0
        self.down = False
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(STAFF_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
                if webhook.down:
                    webhook.refused += 1
                    self.send_response(503)
                elif not hmac.compare_digest(expected, self.headers.get("X-Signature-256", "")):
                    self.send_response(401)
                else:
                    webhook.received.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/new-case"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def for_case(self, number):
        return [notice for notice in self.received if notice["case_number"] == number]
