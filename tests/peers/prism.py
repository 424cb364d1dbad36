"""Prism (npm @stoplight/prism-cli 5) serving a vendor's OpenAPI spec as a validating mock on 127.0.0.1.

Prism checks every request against the spec: 422 when it breaks it (the vendor would say 400), 401 without the
declared auth. Success bodies are random but schema-shaped: assert status and shape, not values. Installed by
`make peers` (scripts/install-peers.sh) into $OCTOPOST_PEER_CACHE/prism (default ~/.cache/octopost).

``start_prism(spec, errors=..., dynamic=...)`` is generic (X and Discord use it; Slack can). Per vendor:
X ``--errors --dynamic`` (without --dynamic valid requests get 500), Discord without ``--errors`` (with it every
valid request gets 500), Slack ``--errors --dynamic``. Specs are read from ``../shared/specs`` and never copied
into the project; an ``overlay`` edits a copy in a temp dir, for what Prism itself cannot do with the spec as is.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from oauthlib.oauth1.rfc5849 import signature as oauth1_signature
from oauthlib.oauth1.rfc5849 import utils as oauth1_utils

from tests.peers.ports import free_port, stop, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SPECS = SHARED / "specs"
_START_TIMEOUT = 60.0
_VIOLATION = re.compile(r"Violation: (request\S*) (.*)$")

Overlay = Callable[[dict[str, Any]], None]


def peer_cache() -> Path:
    return Path(os.environ.get("OCTOPOST_PEER_CACHE") or Path.home() / ".cache" / "octopost") / "prism"


def prism_executable() -> Path:
    return peer_cache() / "node_modules" / ".bin" / "prism"


def shared_spec(name: str) -> Path:
    """A vendor spec from ../shared/specs; skips the test when ../shared is not there."""
    path = SPECS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the vendor specs live in ../shared next to the repo (not in the project)")
    return path


@dataclass
class PrismPeer:
    """A running Prism. ``url`` is the API base URL; ``spec_path`` the file it serves (the overlaid copy)."""

    url: str
    spec_path: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_offset(self) -> int:
        """Where the log ends now: pass it to ``request_violations`` to see only what came after."""
        return self.log_path.stat().st_size

    def request_violations(self, since: int = 0) -> list[str]:
        """What Prism found wrong with requests (``location: message``), from its log, since ``since``."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [f"{m.group(1)}: {m.group(2)}" for line in text.splitlines() if (m := _VIOLATION.search(line))]

    def wait_for_violation(self, fragment: str, *, since: int = 0, timeout: float = 5.0) -> list[str]:
        """Prism logs a violation right after answering: poll for it (the 422 may arrive first)."""
        wait_until(
            lambda: any(fragment in v for v in self.request_violations(since)),
            timeout=timeout,
            what=f"Prism logging a violation with {fragment!r}",
        )
        return self.request_violations(since)

    def stop(self) -> None:
        stop(self.process)

    def __enter__(self) -> PrismPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_prism(
    spec_path: Path,
    *,
    errors: bool,
    dynamic: bool,
    overlay: Overlay | None = None,
    work_dir: Path | None = None,
    timeout: float = _START_TIMEOUT,
    upstream: str | None = None,
) -> PrismPeer:
    """Start ``prism mock`` on a free loopback port and wait until it answers; stop it with ``.stop()`` or use
    it as a context manager. ``errors``: answer 422/401 for requests that break the spec (``--errors``);
    ``dynamic``: generate bodies from schemas (``--dynamic``). ``overlay`` edits a temp copy of the spec first.
    ``upstream``: ``prism proxy`` instead of ``mock``: each request is validated, then forwarded there (a stateful
    fake answers), and violations are logged (``errors``: answered 422 instead of forwarded).
    Raises RuntimeError when Prism is missing or does not come up (with the tail of its log)."""
    executable = prism_executable()
    if not executable.exists():
        raise RuntimeError(f"Prism is not installed at {executable}: run `make peers` (scripts/install-peers.sh)")
    work = work_dir or Path(tempfile.mkdtemp(prefix="prism-"))
    work.mkdir(parents=True, exist_ok=True)
    served = spec_path
    if overlay is not None:
        spec = json.loads(spec_path.read_text())
        overlay(spec)
        served = work / spec_path.name
        served.write_text(json.dumps(spec))
    port = free_port()
    mode = ["mock"] if upstream is None else ["proxy"]
    command = [str(executable), *mode, "-h", "127.0.0.1", "-p", str(port)]
    command += ["--errors"] * errors + ["--dynamic"] * dynamic + [str(served)] + ([upstream] if upstream else [])
    log_path = work / f"prism-{port}.log"
    with log_path.open("wb") as log:
        # The binary itself, never npx: stopping npx would leave its child on the port.
        process = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), timeout=timeout, what=f"Prism for {spec_path.name}", process=process)
    except (TimeoutError, RuntimeError) as exc:
        stop(process)
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{exc}\n--- Prism log ---\n{tail}") from None
    return PrismPeer(url=url, spec_path=served, log_path=log_path, process=process)


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)  # any answer (404 for "/") means the spec is loaded and it listens
        return True
    except httpx.HTTPError:
        return False


# ---- X --------------------------------------------------------------------------------------------------

X_SPEC = "x-api-v2.openapi.json"
_X_ID_PATTERN = "^[0-9]{1,19}$"


def x_spec_overlay(spec: dict[str, Any]) -> None:
    """Where Prism cannot serve X's spec (x-api-v2 2.167) as a usable peer as is; every request body, parameter,
    path and auth header is still checked as written.

    The upload answers' ``data.id`` (initialize, finalize, status) has no pattern, while the same spec demands
    ``^[0-9]{1,19}$`` of that id in the next calls' paths and in ``media.media_ids``: --dynamic then makes up
    words ("est") and the append after it gets 422. Real X answers numeric ids: give the answers the pattern
    the requests require.
    """
    schemas = spec["components"]["schemas"]
    for name in (
        "InitializeMediaUploadResponseData",
        "FinalizeMediaUploadResponseData",
        "GetMediaUploadStatusResponseData",
    ):
        schemas[name]["properties"]["id"]["pattern"] = _X_ID_PATTERN


class OAuth1Gateway:
    """Checks OAuth 1.0a signatures (HMAC-SHA1, oauthlib) in front of Prism, which cannot: Prism 5 has no
    handler for the spec's ``UserToken`` (http scheme "OAuth") and answers 401 to every such request.

    A request signed with the expected consumer and token is forwarded with ``Authorization: Bearer
    oauth1-verified`` (Prism then checks everything else, auth scheme included, as usual); a bad or missing
    signature gets X's 401. Other requests (Bearer) pass unchanged. ``verified``/``refused``: (method, path).
    """

    def __init__(self, upstream: str, credentials: dict[str, str]) -> None:
        self.upstream = upstream.rstrip("/")
        self.credentials = credentials
        self.verified: list[tuple[str, str]] = []
        self.refused: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def signed_correctly(self, method: str, url: str, authorization: str) -> bool:
        if not authorization.startswith("OAuth "):
            return False
        oauth = {k: oauth1_utils.unescape(v) for k, v in oauth1_utils.parse_authorization_header(authorization)}
        if oauth.get("oauth_consumer_key") != self.credentials["consumer_key"]:
            return False
        if oauth.get("oauth_token") != self.credentials["access_token"]:
            return False
        if oauth.get("oauth_signature_method") != "HMAC-SHA1" or not oauth.get("oauth_nonce"):
            return False
        request = SimpleNamespace(
            uri=url,
            http_method=method,
            signature=oauth.get("oauth_signature", ""),
            params=oauth1_signature.collect_parameters(
                uri_query=urlsplit(url).query, headers={"Authorization": authorization}, exclude_oauth_signature=True
            ),
        )
        return bool(
            oauth1_signature.verify_hmac_sha1(
                request, self.credentials["consumer_secret"], self.credentials["access_token_secret"]
            )
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                return

            def _reply(self, status: int, headers: dict[str, str], content: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in _HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
                authorization = self.headers.get("authorization", "")
                where = (self.command, self.path.split("?")[0])
                if authorization.startswith("OAuth"):
                    # The URL the client signed: this gateway's, as the client addressed it.
                    if not gateway.signed_correctly(self.command, gateway.url + self.path, authorization):
                        gateway.refused.append(where)
                        self._reply(401, {"Content-Type": "application/json"}, _X_UNAUTHORIZED)
                        return
                    gateway.verified.append(where)
                    headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
                    headers["Authorization"] = "Bearer oauth1-verified"
                upstream = httpx.request(self.command, gateway.upstream + self.path, headers=headers, content=body)
                self._reply(upstream.status_code, dict(upstream.headers), upstream.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        return Handler

    def __enter__(self) -> OAuth1Gateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}
# What X answers to a request it cannot authenticate.
_X_UNAUTHORIZED = json.dumps(
    {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
).encode()


@pytest.fixture(scope="session")
def prism_x(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismPeer]:
    """Prism serving X's API v2 spec (``--errors --dynamic``, with ``x_spec_overlay``), one per session."""
    spec = shared_spec(X_SPEC)
    try:
        peer = start_prism(
            spec, errors=True, dynamic=True, overlay=x_spec_overlay, work_dir=tmp_path_factory.mktemp("prism-x")
        )
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    with peer:
        yield peer


# ---- Discord ---------------------------------------------------------------------------------------------

DISCORD_SPEC = "discord-v10.openapi.json"


@pytest.fixture(scope="session")
def prism_discord(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismPeer]:
    """Prism serving Discord's v10 spec, one per session. Without ``--errors`` (with it every valid request gets
    500: the spec's own example answers break it) but with ``--dynamic``: the static answers' ids are the word
    "string", which the next request's path (``/channels/{id}`` must be a snowflake) could not carry. Requests that
    break the spec still get 422, and a missing Authorization header 401. The spec's paths are served at the root
    (its server's ``/api/v10`` is not part of them), so an adapter's base URL is ``url`` itself."""
    spec = shared_spec(DISCORD_SPEC)
    try:
        peer = start_prism(spec, errors=False, dynamic=True, work_dir=tmp_path_factory.mktemp("prism-discord"))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    with peer:
        yield peer


# ---- Slack -----------------------------------------------------------------------------------------------

SLACK_SPEC = "slack-web.openapi-v2.json"


def slack_spec_overlay(spec: dict[str, Any]) -> None:
    """Slack's Web API document (Swagger 2.0, last updated 2021) declares the token as a parameter literally named
    ``token``: a required header on chat.postMessage and auth.test, a query parameter on the reads. Slack's clients
    send it as ``Authorization: Bearer xoxb-…`` instead, which the same operations' ``slackAuth`` (OAuth 2)
    security already asks for and Prism checks (401 ``invalid_auth`` without it). Drop the ``token`` parameters;
    every other parameter, its type and required flag, and the bearer check stay as written."""
    for operations in spec["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "parameters" in operation:
                operation["parameters"] = [p for p in operation["parameters"] if p.get("name") != "token"]


@pytest.fixture(scope="session")
def prism_slack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismPeer]:
    """Prism serving Slack's Web API spec (``--errors --dynamic``, with ``slack_spec_overlay``), one per session.
    The spec's paths are served at the root (``/chat.postMessage``): an adapter's base URL is ``url`` itself.
    Requests that break the spec get 422 with one of the method's documented error bodies (``ok: false``).
    conversations.info's success schema (``objs_conversation``, an ``items`` list without a type) makes Prism's
    --dynamic fail with 500: ask for the spec's own example there (``Prefer: dynamic=false``)."""
    spec = shared_spec(SLACK_SPEC)
    try:
        peer = start_prism(
            spec, errors=True, dynamic=True, overlay=slack_spec_overlay, work_dir=tmp_path_factory.mktemp("prism-slack")
        )
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    with peer:
        yield peer
