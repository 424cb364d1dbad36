"""tweepy's v2 ``Client`` pointed at a configurable base URL, with a timeout, never sleeping on rate limits.

tweepy 4.17 builds every URL as ``"https://api.twitter.com" + route`` inside ``BaseClient.request`` and passes
no timeout. Rather than copy that method, ``XClient`` swaps in a requests session that rewrites the host to
the account's base URL (api.x.com, a gateway, Prism in tests) and adds the timeout. OAuth 1.0a signing happens
while requests prepares the request, after the rewrite, so the signature covers the URL actually sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import requests
import tweepy

TWEEPY_HOST = "https://api.twitter.com"

# tweepy logs every request's headers at DEBUG, the bearer token included: keep that out of any log.
logging.getLogger("tweepy.client").setLevel(logging.INFO)


class RebasedSession(requests.Session):
    """Sends tweepy's ``https://api.twitter.com/...`` calls to ``base_url``, each with ``timeout``."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url.startswith(TWEEPY_HOST):
            url = self.base_url + url[len(TWEEPY_HOST) :]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class XClient(tweepy.Client):
    """tweepy.Client returning plain JSON (``return_type=dict``: its models ``int()`` every id and choke on
    anything unexpected) and raising ``TooManyRequests`` instead of sleeping (``wait_on_rate_limit=False``)."""

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float,
        credentials: Mapping[str, str],
        guard_session: Callable[[requests.Session], requests.Session] = lambda session: session,
    ) -> None:
        super().__init__(**credentials, return_type=dict, wait_on_rate_limit=False)
        self.base_url = base_url.rstrip("/")
        self.session = guard_session(RebasedSession(base_url, timeout))

    def __repr__(self) -> str:
        return f"XClient(base_url={self.base_url!r})"
