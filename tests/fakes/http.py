"""A minimal HTTP/1.1 server on asyncio for the platform fakes: keep-alive, Content-Length bodies, JSON, form and
multipart parsing, and the two network failures a framework would hide (a reset before or after the request was
handled). Small and fast on purpose: scale tests send it thousands of requests from several workers.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import json
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            413: "Content Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable"}
_MAX_HEADER_BYTES = 64 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    # Wall-clock time the request was read (Unix seconds): benchmarks measure lateness from the first call.
    received_at: float = field(default_factory=time.time)
    # The first request on its connection: a fake counts connections, so tests can see clients reuse them.
    opens_connection: bool = False

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object; None when it is not JSON or not an object (a fake answers 400 then)."""
        try:
            body = self.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def form(self) -> dict[str, list[str]]:
        """A form body (requests' default) or a JSON object, as lists of values per field."""
        if self.headers.get("content-type", "").startswith("application/json"):
            data = self.json() or {}
            return {k: v if isinstance(v, list) else [v] for k, v in data.items() if v is not None}
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def multipart(self) -> list[tuple[str, str | None, bytes]]:
        """(name, filename, bytes) of each part of a multipart/form-data body (the stdlib's MIME parser's work)."""
        head = f"Content-Type: {self.headers.get('content-type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        parts = []
        for part in message.iter_parts() if message.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                parts.append((name, part.get_filename(), payload))
        return parts

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else None


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        payload = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        head = [f"HTTP/1.1 {self.status} {_REASONS.get(self.status, 'Status')}"]
        headers = {"content-type": "application/json; charset=utf-8", **self.headers}
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"content-length: {len(payload)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


class Reset(Exception):
    """Raised by a handler: drop the connection with a TCP reset instead of answering."""


Handler = Callable[[Request], Awaitable[Response]]


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:  # RST instead of FIN: the client sees "connection reset by peer"
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    except asyncio.LimitOverrunError:
        raise ValueError("request head too large") from None
    line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = line.split(" ", 2)
    headers = {}
    for header in header_lines:
        if header:
            name, _, value = header.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", ""):
        raise ValueError("chunked request bodies are not supported by the fake")
    length = int(headers.get("content-length") or 0)
    body = await reader.readexactly(length) if length else b""
    url = urlsplit(target)
    return Request(method=method, path=url.path, query=parse_qs(url.query), headers=headers, body=body)


async def _connection(handler: Handler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    first = True
    try:
        while True:
            request = await _read_request(reader)
            if request is None:
                break
            request.opens_connection, first = first, False
            try:
                response = await handler(request)
            except Reset:
                _reset(writer)
                return
            writer.write(response.encode())
            await writer.drain()
            if request.headers.get("connection", "").lower() == "close":
                break
    except (ConnectionError, ValueError, asyncio.IncompleteReadError):
        pass
    finally:
        if not writer.transport.is_closing():
            writer.close()


async def serve(handler: Handler, host: str, port: int) -> asyncio.Server:
    return await asyncio.start_server(
        lambda r, w: _connection(handler, r, w), host, port, limit=_MAX_HEADER_BYTES, backlog=1024
    )
