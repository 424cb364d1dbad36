"""What the Facebook fake knows: the user tokens and the Pages they manage (each with its Page token), Graph's
error envelope, and the objects a Page holds (posts, photos, videos, comments)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import Response

VERSION_PREFIX = "/v21.0"
PAGE_ID = "104000000000001"
PAGE_NAME = "Octopost Bakery"
OTHER_PAGE_ID = "104000000000002"  # managed, but the user may only analyze it
CAFE_PAGE_ID = "104000000000003"  # a second Page the two-Page user may post on
CAFE_PAGE_NAME = "Octopost Café"
USER_TOKEN = "EAAfake-user-token"
# What GET /oauth/access_token (fb_exchange_token) answers for a peer's token: a long-lived user token managing the
# same Pages as USER_TOKEN, or (Settings.exchange_token) one that may post on two Pages.
LONG_LIVED_USER_TOKEN = "EAAfake-long-lived-user-token"
TWO_PAGES_USER_TOKEN = "EAAfake-two-pages-user-token"
PAGE_TOKEN = "EAAfake-page-token"
OTHER_PAGE_TOKEN = "EAAfake-other-page-token"
CAFE_PAGE_TOKEN = "EAAfake-cafe-page-token"
# The app the exchange authenticates: the OAuth peer's default client (tests/peers/oauth_server.py).
APP_ID = "octopost-test-client"
APP_SECRET = "octopost-test-secret"
# The scopes a peer's token must carry to be exchanged: the ones the adapter asks (listing and posting as a Page).
EXCHANGE_SCOPES = frozenset({"pages_show_list", "pages_manage_posts", "pages_read_engagement"})
LONG_LIVED_SECONDS = 5183944  # Meta's example answer: about 60 days
EXPIRED_TOKEN = "EAAfake-expired"
USER_ID = "100000000000042"


@dataclass(frozen=True)
class ManagedPage:
    id: str
    name: str
    token: str
    tasks: tuple[str, ...]


PAGES = {
    PAGE_ID: ManagedPage(
        PAGE_ID, PAGE_NAME, PAGE_TOKEN, ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE")
    ),
    OTHER_PAGE_ID: ManagedPage(OTHER_PAGE_ID, "Someone Else's Shop", OTHER_PAGE_TOKEN, ("ANALYZE",)),
    CAFE_PAGE_ID: ManagedPage(CAFE_PAGE_ID, CAFE_PAGE_NAME, CAFE_PAGE_TOKEN, ("CREATE_CONTENT", "MODERATE")),
}
PAGE_TOKENS = {page.token: page for page in PAGES.values()}
# Each user token and the Pages /me/accounts lists for it.
USER_PAGES = {
    USER_TOKEN: (PAGE_ID, OTHER_PAGE_ID),
    LONG_LIVED_USER_TOKEN: (PAGE_ID, OTHER_PAGE_ID),
    TWO_PAGES_USER_TOKEN: (PAGE_ID, CAFE_PAGE_ID, OTHER_PAGE_ID),
}


def graph_failure(
    status: int,
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    kind: str = "OAuthException",
    transient: bool = False,
    headers: dict[str, str] | None = None,
    user_message: str | None = None,
) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AFakeTrace0001"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    if user_message is not None:
        error["error_user_msg"] = user_message
    return Response(status, {"error": error}, headers or {})


def token_failure(token: str | None) -> Response | None:
    if token is None:
        return graph_failure(400, 104, "An access token is required to request this resource.")
    if token == EXPIRED_TOKEN:
        return graph_failure(
            400,
            190,
            "Error validating access token: Session has expired on Thursday, 03-Dec-26 10:00:00 PST.",
            subcode=463,
        )
    if token not in USER_PAGES and token not in PAGE_TOKENS:
        return graph_failure(400, 190, "Invalid OAuth access token - Cannot parse access token")
    return None


def throttled(code: int) -> Response:
    usage = {
        PAGE_ID: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 30,
                "total_time": 40,
                "estimated_time_to_regain_access": 7,
            }
        ]
    }
    messages = {
        4: "Application request limit reached",
        17: "User request limit reached",
        32: "Page request limit reached",
        613: "Calls to this api have exceeded the rate limit.",
    }
    return graph_failure(
        400,
        code,
        f"(#{code}) {messages.get(code, 'Rate limited')}",
        headers={"x-business-use-case-usage": json.dumps(usage)},
    )


@dataclass
class Photo:
    id: str
    page: str
    size: int
    alt_text: str | None
    published: bool
    attached_to: str | None = None


@dataclass
class Video:
    id: str
    page: str
    size: int
    description: str
    polls_left: int
    fails: bool
    status_reads: int = 0
    state: str = "processing"


@dataclass
class Item:
    """A Page post or a comment."""

    id: str
    page: str
    message: str
    permalink_url: str
    parent: str | None = None  # a comment's post
    photos: list[str] = field(default_factory=list)
    deleted: bool = False
    unseen_reads: int = 0  # feed reads that do not show it yet (Settings.feed_lag_reads)
