"""A reverse proxy in front of a real peer that decides, per request, what the network does to it.

Used to make crashes deterministic (hold one request while the worker is killed) and to inject faults
(429 with Retry-After, 500s, connection resets before or after the peer applied the request, delays past
the client's timeout) into traffic to real servers, at a seeded random rate.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


@dataclass(frozen=True)
class Action:
    kind: str  # forward | hold | respond | reset | forward_then_reset | delay_then_forward
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


FORWARD = Action("forward")
HOLD = Action("hold")
RESET = Action("reset")
FORWARD_THEN_RESET = Action("forward_then_reset")

Decide = Callable[[str, str, int], Action]  # (method, path, nth request to method+path) -> what to do


class Proxy:
    def __init__(self, upstream: str, decide: Decide) -> None:
        self.upstream = upstream.rstrip("/")
        self.decide = decide
        self.held = threading.Event()  # set while a request is being held
        self.log: list[tuple[str, str, str]] = []  # (method, path, action kind)
        self._decision = threading.Event()
        self._forward_held = False
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def release(self, *, forward: bool) -> None:
        """Let the held request go: forward it upstream (and discard the answer) or drop it unsent."""
        self._forward_held = forward
        self._decision.set()

    def _next(self, method: str, path: str) -> Action:
        with self._lock:
            key = (method, path)
            self._counts[key] = self._counts.get(key, 0) + 1
            action = self.decide(method, path, self._counts[key])
            self.log.append((method, path, action.kind))
            return action

    def _send_upstream(self, method: str, target: str, headers: dict[str, str], body: bytes) -> httpx.Response:
        return httpx.request(method, self.upstream + target, headers=headers, content=body, timeout=60)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                return

            def _reset(self) -> None:
                # RST instead of FIN: the client sees "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.close_connection = True

            def _reply(self, status: int, headers: dict[str, str], content: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in _HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def _proxy(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                action = proxy._next(self.command, self.path.split("?")[0])
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
                if action.kind == "hold":
                    proxy.held.set()
                    proxy._decision.wait(120)
                    if proxy._forward_held:
                        proxy._send_upstream(self.command, self.path, headers, body)
                    self._reset()
                    return
                if action.kind == "respond":
                    self._reply(action.status, action.headers, b'{"error": "injected by the test proxy"}')
                    return
                if action.kind == "reset":
                    self._reset()
                    return
                if action.kind == "delay_then_forward":
                    time.sleep(action.delay)  # the network being slow: the point of this action
                upstream = proxy._send_upstream(self.command, self.path, headers, body)
                if action.kind == "forward_then_reset":
                    self._reset()  # the peer applied it; the client never hears so
                    return
                self._reply(upstream.status_code, dict(upstream.headers), upstream.content)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _proxy

        return Handler

    def __enter__(self) -> Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._decision.set()
        self._server.shutdown()
        self._server.server_close()


def holding_proxy(upstream: str, should_hold: Callable[[str, str, int], bool]) -> Proxy:
    """Holds the first request for which ``should_hold(method, path, nth)`` is true; forwards the rest."""
    return Proxy(upstream, lambda m, p, n: HOLD if should_hold(m, p, n) else FORWARD)


@dataclass
class Chaos:
    """A seeded fault mix applied to a share of the requests whose path matches ``paths``."""

    rate: float
    seed: int
    paths: tuple[str, ...]
    delay_past_timeout: float | None = None  # seconds; None: no slow responses
    enabled: bool = True
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def __call__(self, method: str, path: str, nth: int) -> Action:
        if not self.enabled or method != "POST" or not path.startswith(self.paths):
            return FORWARD
        if self._random.random() >= self.rate:
            return FORWARD
        faults = [
            Action("respond", 429, {"Retry-After": "1"}),
            Action("respond", 500),
            Action("respond", 503),
            RESET,
            FORWARD_THEN_RESET,
        ]
        if self.delay_past_timeout is not None:
            faults.append(Action("delay_then_forward", delay=self.delay_past_timeout))
        return self._random.choice(faults)
