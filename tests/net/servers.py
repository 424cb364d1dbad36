"""Small HTTP(S) servers on 127.0.0.1 for the network guard's tests: they count connections, remember Host
headers and TLS server names, redirect, drip an answer byte by byte, or send more than a cap allows."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
DRIP_INTERVAL = 0.05  # seconds between two bytes of a dripped answer: the server's pace, not a test wait


@dataclass
class Seen:
    connections: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI
    dripped: int = 0


class TestServer:
    """Routes: /ok (a tiny PNG), /redirect?to=URL (302), /loop (302 to itself), /drip (1 byte per interval,
    never finishing), /big?bytes=N (chunked, no length), /declared?bytes=N (a Content-Length only)."""

    __test__ = False  # not a pytest class

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.seen = Seen()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                server.seen.requests.append((self.path, self.headers.get("Host", "")))
                path, _, query = self.path.partition("?")
                value = query.partition("=")[2]
                if path == "/redirect":
                    self._answer(302, b"", {"Location": value})
                elif path == "/loop":
                    self._answer(302, b"", {"Location": "/loop"})
                elif path == "/drip":
                    self._drip()
                elif path == "/big":
                    self._chunked(int(value))
                elif path == "/declared":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", value)
                    self.end_headers()
                else:
                    self._answer(200, PNG, {"Content-Type": "image/png"})

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, header in headers.items():
                    self.send_header(name, header)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _drip(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                try:
                    while not server._stop.wait(DRIP_INTERVAL):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        server.seen.dripped += 1
                except OSError:
                    return  # the client gave up: what the deadline is for

            def _chunked(self, size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                block = b"x" * 65536
                try:
                    for _ in range(0, size, len(block)):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    return

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> tuple[socket.socket, Any]:
                sock, address = super().get_request()
                server.seen.connections += 1
                if tls is None:
                    return sock, address
                return tls.wrap_socket(sock, server_side=True), address

        self._http = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: server.seen.server_names.append(name)  # type: ignore[assignment]
        threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def url(self, path: str = "/ok", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._http.shutdown()
        self._http.server_close()


@contextmanager
def serving(tls: ssl.SSLContext | None = None) -> Iterator[TestServer]:
    server = TestServer(tls)
    try:
        yield server
    finally:
        server.close()


def self_signed(name: str, directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for ``name`` (and 127.0.0.1) and a client context trusting it."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


class NetworkWatch:
    """Every socket connect and system DNS lookup this process makes while watching (Python audit events):
    how a test proves that a refused URL never got as far as a socket."""

    def __init__(self) -> None:
        self.connects: list[Any] = []
        self.lookups: list[Any] = []
        self._active = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self._active:
            return
        if event == "socket.connect":
            self.connects.append(args[1])
        elif event == "socket.getaddrinfo":
            self.lookups.append(args[0])

    @contextmanager
    def watching(self) -> Iterator[NetworkWatch]:
        self.connects.clear()
        self.lookups.clear()
        self._active = True
        try:
            yield self
        finally:
            self._active = False


WATCH = NetworkWatch()
sys.addaudithook(WATCH.hook)  # audit hooks cannot be removed: one, switched on only inside ``watching()``
