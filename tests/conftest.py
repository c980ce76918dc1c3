"""Shared fixtures: an isolated Prefect home, data paths, a scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.environment import apply_defaults

# Each test session gets its own Prefect ephemeral database; set before prefect is imported.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsetl-prefect-"))
apply_defaults()

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def nlp():
    """The pipeline's spaCy model with its configured components, loaded once (load_nlp caches it)."""
    from transforms.config import NlpConfig
    from transforms.nlp import load_nlp

    config = NlpConfig()
    return load_nlp(config.model, tuple(config.components))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The evaluation data folder; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


class ScriptedServer:
    """A loopback HTTP server whose answers are Python callables per path, counting hits."""

    def __init__(self):
        self.routes = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route(self, server.hits[path])

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def reply(self, path: str, status: int = 200, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        """Answer `path` with a fixed response."""

        def route(handler, _hit):
            send(handler, status, body, content_type, headers)

        self.routes[path] = route


def send(handler, status: int, body: bytes, content_type: str = "text/html", headers: dict | None = None) -> None:
    """Write one complete HTTP response."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def http_server():
    """A ScriptedServer running on 127.0.0.1 for the duration of a test."""
    server = ScriptedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
