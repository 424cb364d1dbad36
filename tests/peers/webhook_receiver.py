"""A webhook receiver on 127.0.0.1, one per session: records every delivery, verifies its Standard Webhooks
signature with the `standardwebhooks` package (a bad one is answered 400, as a real receiver would), and
answers as the test scripts it (failures, 429 with Retry-After, 410, redirects).

Each test takes its own ``inbox()`` (its own URL), so tests never see each other's deliveries.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass(frozen=True)
class Reply:
    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]  # names lower-cased
    body: bytes
    verified: bool
    replied: int
    at: float  # time.monotonic() on arrival

    @property
    def payload(self) -> dict[str, Any]:
        return dict(json.loads(self.body))

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def type(self) -> str:
        return str(self.payload["type"])


class Inbox:
    """One receiving URL. Set ``secret`` (from the create or rotate response) before events arrive."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.secret: str | None = None
        self.default = Reply()
        self._script: deque[Reply] = deque()
        self._received: list[Received] = []
        self._lock = threading.Lock()

    def reply_with(self, *replies: Reply) -> None:
        """Answer the next requests with these, in order; then with ``default``."""
        with self._lock:
            self._script.extend(replies)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.type == event_type]

    def wait(self, until: Callable[[list[Received]], bool], *, timeout: float = 30, what: str) -> list[Received]:
        """Poll until ``until(received)`` holds (a deadline, not a sleep); returns what was received."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.received
            if until(seen):
                return seen
            time.sleep(0.05)  # polling interval
        raise AssertionError(f"{what} did not arrive within {timeout}s; received: {[r.payload for r in seen]}")

    def wait_for_type(self, event_type: str, count: int = 1, *, timeout: float = 30) -> list[Received]:
        self.wait(lambda seen: sum(r.type == event_type for r in seen) >= count, timeout=timeout, what=event_type)
        return self.of_type(event_type)

    def _handle(self, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            verified = self._verify(headers, body)
            reply = (self._script.popleft() if self._script else self.default) if verified else Reply(400)
            self._received.append(Received(headers, body, verified, reply.status, time.monotonic()))
            return reply

    def _verify(self, headers: dict[str, str], body: bytes) -> bool:
        if self.secret is None:
            return False
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            return False
        return True


class _Server(ThreadingHTTPServer):
    # socketserver's listen backlog is 5: two workers sending a burst of deliveries at once overflow it, and the
    # kernel then resets connections the sender believed open (httpx: ReadError), a failure of the test peer.
    request_queue_size = 128


class WebhookReceiver:
    def __init__(self) -> None:
        self._inboxes: dict[str, Inbox] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                inbox = receiver._inboxes.get(self.path)
                if inbox is None:
                    self.send_error(404)
                    return
                reply = inbox._handle({k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        self._http = _Server(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def inbox(self) -> Inbox:
        path = f"/hooks/{secrets.token_hex(6)}"
        inbox = Inbox(f"http://127.0.0.1:{self._http.server_address[1]}{path}")
        self._inboxes[path] = inbox
        return inbox

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
