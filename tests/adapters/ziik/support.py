"""What the Ziik adapter tests share: the fake's account, requests to publish, and reading back what the fake
holds (its content items, with the request each was created from) and what our own client sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from adapters.base import MediaItem, Poll, PublishRequest, ReplyPolicy, Segment
from adapters.ziik import ZiikAdapter
from adapters.ziik.options import ZiikOptions
from octopost.ids import new_tid
from tests.fakes.running import RunningFake
from tests.fakes.ziik import PASSWORD, USERNAME

LOGIN = {"username": USERNAME, "password": PASSWORD}

MakeAdapter = Callable[..., ZiikAdapter]


def api_url(fake: RunningFake) -> str:
    """The tenant's API URL, as a user configures it (https://<tenant>.ziik.io/api)."""
    return f"{fake.url}/api"


def request(
    text: str = "Hello, colleagues",
    *,
    media: tuple[MediaItem, ...] = (),
    options: ZiikOptions | None = None,
    poll: Poll | None = None,
    reply_policy: ReplyPolicy | None = None,
    scheduled_for: datetime | None = None,
) -> PublishRequest:
    return PublishRequest(
        segment=Segment(0, text, media),
        idempotency_key=new_tid(),
        poll=poll,
        reply_policy=reply_policy,
        options=options,
        scheduled_for=scheduled_for,
    )


def contents(fake: RunningFake) -> list[dict[str, Any]]:
    """Every content item the fake holds: its id, the request it was created from, its files and state."""
    return list(fake.control("GET", "contents"))


def only_content(fake: RunningFake) -> dict[str, Any]:
    found = contents(fake)
    assert len(found) == 1, found
    return found[0]


def token(fake: RunningFake, lifetime_seconds: float = 3600) -> str:
    """A JWT of the fake's user, as if copied from a login, expiring after ``lifetime_seconds``."""
    return str(fake.control("POST", "tokens", {"lifetime_seconds": lifetime_seconds})["jwt"])


class Sent:
    """What our httpx client sent (an event hook on the test's own client): method, URL and headers."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def steps(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests]

    def clear(self) -> None:
        self.requests.clear()
