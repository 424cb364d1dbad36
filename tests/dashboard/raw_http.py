"""The dashboard over raw HTTP (no browser): a client holding a session cookie, and the page's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.peers.app import OctopostProcess

_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextmanager
def signed_in_client(octopost: OctopostProcess, key: str) -> Iterator[httpx.Client]:
    """A client that signed in through the form, as a browser does (its cookie jar holds the session)."""
    with httpx.Client(base_url=octopost.url, timeout=30) as client:
        login = client.get("/app/login")
        answer = client.post("/app/login", data={"api_key": key, "csrf_token": csrf_token(login.text)})
        assert answer.status_code == 303, answer.text
        yield client
