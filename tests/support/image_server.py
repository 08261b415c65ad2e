"""A loopback HTTP server that counts what it was asked, and PNG bytes to answer with."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

from support import free_port


class CountingServer:
    """A loopback listener standing for an internal service an attacker would like us to call."""

    def __init__(self, redirect_to=None):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                if redirect_to:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                    self.end_headers()
                    return
                self.send_response(200)
                self.end_headers()
                self.wfile.write(png(10, 10))

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.shutdown()


def png(width, height, fmt="PNG"):
    output = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(output, format=fmt)
    return output.getvalue()
