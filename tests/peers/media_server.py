"""A static file server on 127.0.0.1 for media given by URL (real HTTP, real content types)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class MediaServer:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                found = server.files.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                content_type, data = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def add(self, path: str, data: bytes, content_type: str) -> str:
        self.files[path] = (content_type, data)
        return f"http://127.0.0.1:{self._http.server_address[1]}{path}"

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="session")
def media_server() -> Iterator[MediaServer]:
    server = MediaServer()
    yield server
    server.close()
