"""What Amity's answers mean, for the shared platform client (adapters/http.py).

Every failure comes as ``{"status": "error", "code": <six digits>, "message": "...", "data": {"detail": [...]}}``
next to a real HTTP status (400, 401, 403, 404, 413, 422, 429, 500). The codes are Amity's server error list
(its API reference's global errors and the SDKs' ServerError enums); each one is classified below. Two codes mean
different things by the status they come with, so ``AmityErrorTable`` reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.base import AdapterError, MediaRejected, RateLimited, ReauthRequired, Rejected, Transient
from adapters.http import ErrorTable

BAD_REQUEST = 400000
UNAUTHORIZED = 400100  # a refused token (401); also "not a member of this community", "admin only" (403)
ITEM_NOT_FOUND = 400400
RATE_LIMIT = 400311  # more than 100 calls per user within 5 seconds
GLOBAL_BAN = 400312
DUPLICATE_ENTRY = 400315  # "Data already exists"
VISITOR_QUOTA = 400323  # a visitor's or bot's daily read quota
CONFLICT = 400900
VISITOR_DENIED = 403999
BOT_DENIED = 403998
BUSINESS_ERROR = 500000  # "Unexpected error" (500); also "Parameters error" with the field details (422)

# Amity counts its rate limit over 5 seconds; a 400311 without Retry-After waits that long.
RATE_LIMIT_WINDOW_SECONDS = 5.0


class AlreadyExists(Rejected):
    """400315/400900: the id we chose is taken, i.e. an earlier try created it. The adapter looks it up."""


class AmityErrorTable(ErrorTable):
    """The codes first, except where Amity reuses one and the HTTP status decides: 400100 is a refused token only
    with a 401 (with a 403 it is a membership or admin-only refusal), and 500000 a server fault only with a 5xx
    (with a 422 it is a parameter error, with a 413 a file too large)."""

    def error_class(self, status: int, code: Any = None) -> type[AdapterError]:
        if (code == UNAUTHORIZED and status != 401) or (code == BUSINESS_ERROR and status < 500):
            return super().error_class(status)
        return super().error_class(status, code)


# Refusals of this content or this target: permanent, the message is shown.
_REJECTED = frozenset(
    {
        BAD_REQUEST,
        400001,  # invalid regular expression
        400300,  # forbidden
        400301,  # permission denied (not a member of the target, not the owner)
        400302,  # the user is muted
        400303,  # the channel is muted
        400304,  # the user is banned from this community
        400305,  # number of members exceeded
        400306,  # exempt from ban
        400307,  # the same content repeated too often in a short time: resending it would repeat it
        400308,  # a blocklisted word
        400309,  # a link that is not on the allowlist
        400310,  # too many members
        400316,  # the user was unbanned (a state conflict)
        400317,  # the user is the last moderator
        400318,  # the user is the last member
        400319,  # the network's notifications are off
        400324,  # max blocked users reached
        ITEM_NOT_FOUND,  # the target community, the post a comment is on, a file or a poll
    }
)
_MEDIA = frozenset(
    {
        400002,  # video format invalid
        400314,  # refused by image moderation
    }
)

AMITY_ERRORS = AmityErrorTable(
    # 401 reauth, 413 media, 429 rate limited, 5xx transient, other 4xx rejected: the shared defaults.
    codes={
        **dict.fromkeys(_REJECTED, Rejected),
        **dict.fromkeys(_MEDIA, MediaRejected),
        UNAUTHORIZED: ReauthRequired,
        GLOBAL_BAN: ReauthRequired,
        VISITOR_DENIED: ReauthRequired,
        BOT_DENIED: ReauthRequired,
        RATE_LIMIT: RateLimited,
        VISITOR_QUOTA: RateLimited,
        DUPLICATE_ENTRY: AlreadyExists,
        CONFLICT: AlreadyExists,
        BUSINESS_ERROR: Transient,
    },
)

# Why Amity refused the credentials, where the code says more than "unauthorized".
REAUTH_REASONS: Mapping[int, str] = {
    GLOBAL_BAN: "the user is banned from the whole network",
    VISITOR_DENIED: "this is a visitor's token, and visitors cannot post",
    BOT_DENIED: "this is a bot user's token, and bots cannot post",
}
TOKEN_REFUSED = (
    "user access tokens last about 30 days and can be revoked; register a new session "
    "(POST /api/v4/sessions) and reconnect the account with its accessToken"
)


def error_code(body: Any) -> int | None:
    """The six-digit ``code`` (Amity's examples show it as a number, some as a numeric string)."""
    code = body.get("code") if isinstance(body, Mapping) else None
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().rstrip(",").isdigit():
        return int(code.strip().rstrip(","))
    return None


def error_message(body: Any) -> str:
    """``message``, with the field details of a parameter error (``data.detail``) after it."""
    if not isinstance(body, Mapping):
        return ""
    message = body.get("message")
    text = message.strip() if isinstance(message, str) else ""
    data = body.get("data")
    detail = data.get("detail") if isinstance(data, Mapping) else None
    details = [d for d in detail if isinstance(d, str) and d] if isinstance(detail, list) else []
    if details:
        joined = "; ".join(details[:3])
        return f"{text} ({joined})" if text else joined
    return text
