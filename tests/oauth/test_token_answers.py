"""The token endpoint's answer as each platform shapes it, read by our client over real HTTP: Instagram Login wraps
the code exchange's answer in ``data`` (and names the user), TikTok adds ``open_id``; what the account keeps is the
tokens and the platform's ``token_fields``, whatever the wrapping. A tiny token endpoint on 127.0.0.1 answers what
the platform documents and records what it was sent (client_secret_post: the id and secret in the form)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from adapters.registry import platform_info
from octopost.db import utcnow
from octopost.oauth.apps import OAuthApp
from octopost.oauth.client import TokenClient


@dataclass
class TokenEndpoint:
    answer: dict[str, Any]
    forms: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def endpoint() -> Iterator[TokenEndpoint]:
    served = TokenEndpoint(answer={})

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
            served.forms.append({**dict(parse_qsl(body)), "_basic": str("authorization" in self.headers)})
            content = json.dumps(served.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}/oauth/access_token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


def client(platform: str, endpoint: TokenEndpoint, http: httpx.AsyncClient) -> TokenClient:
    spec = platform_info(platform).oauth
    assert spec is not None
    app = OAuthApp(platform, spec, "app-id", "app-secret", spec.authorize_url, endpoint.url)
    return TokenClient(app, http)


async def test_instagram_logins_wrapped_answer_gives_the_token_and_the_user(endpoint: TokenEndpoint) -> None:
    endpoint.answer = {"data": [{"access_token": "IGshort", "user_id": 17841400000000000, "permissions": "a,b"}]}
    async with httpx.AsyncClient() as http:
        tokens = await client("instagram", endpoint, http).exchange(
            code="the-code", verifier="v" * 43, redirect_uri="https://octopost.example/v1/oauth/callback", now=utcnow()
        )
    assert tokens.credentials() == {"access_token": "IGshort", "user_id": "17841400000000000"}
    (form,) = endpoint.forms
    assert (form["client_id"], form["client_secret"], form["_basic"]) == ("app-id", "app-secret", "False")
    assert form["grant_type"] == "authorization_code"


async def test_tiktoks_answer_keeps_the_open_id_under_its_client_key(endpoint: TokenEndpoint) -> None:
    endpoint.answer = {
        "access_token": "act.1",
        "refresh_token": "rft.1",
        "expires_in": 7200,
        "refresh_expires_in": 31536000,
        "open_id": "-000open",
        "scope": "user.info.basic,video.publish",
        "token_type": "Bearer",
    }
    async with httpx.AsyncClient() as http:
        tokens = await client("tiktok", endpoint, http).refresh("rft.0", utcnow())
    kept = tokens.credentials()
    assert (kept["access_token"], kept["refresh_token"], kept["open_id"]) == ("act.1", "rft.1", "-000open")
    assert "refresh_expires_in" not in kept
    (form,) = endpoint.forms
    assert (form["client_key"], form["client_secret"], form["_basic"]) == ("app-id", "app-secret", "False")
    assert "client_id" not in form
