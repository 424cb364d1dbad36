"""Meta's Graph error envelope, ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id", ...}}``,
classified into the taxonomy by its ``code`` and ``error_subcode`` (Meta's documented codes; the HTTP status of a
Graph failure is nearly always 400 and says little).

- 190 (and 102, its older form): the access token is invalid, expired or revoked: the account must be connected
  again (Meta's long-lived tokens are refreshed before they expire, never after).
- 10 and 200-299: a permission the app lacks: reconnect granting it.
- 4, 17, 32, 613, 80001-80014: rate limits (app, user, page, custom); Instagram's 9 with subcode 2207042 is the
  daily publishing limit.
- 1, 2 and ``is_transient: true``: Meta failed, try again; Instagram's -1/-2 with the server-side subcodes too.
- 368: the action is blocked (spam, policy): the content is refused.
- Media that could not be fetched or is unusable (9004, 36000-36003, 352, subcode 2207052): MediaRejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.base import AdapterError, MediaRejected, RateLimited, ReauthRequired, Rejected, Transient

_REAUTH_CODES = (190, 102, 10, *range(200, 300))
_RATE_CODES = (4, 17, 32, 613, *range(80001, 80015))
_TRANSIENT_CODES = (1, 2)
_MEDIA_CODES = (9004, 352, 36000, 36001, 36003)
# Subcodes first: they say more than the code they come with.
_SUBCODES: Mapping[int, type[AdapterError]] = {
    2207042: RateLimited,  # the daily Content Publishing limit
    2207001: Transient,  # Instagram server error
    2207003: Transient,  # the media took too long to download
    2207032: Transient,  # creating the container failed: create it again
    2207053: Transient,  # unknown upload error: a new container
    2207052: MediaRejected,  # the media could not be fetched from its URL
    2207004: MediaRejected,  # image too large
    2207005: MediaRejected,  # image format not supported
    2207009: MediaRejected,  # aspect ratio not supported
    2207026: MediaRejected,  # video format not supported
    2207051: Rejected,  # restricted as suspected spam
    2207050: ReauthRequired,  # the professional account is inactive or checkpointed
}
_CODES: Mapping[int, type[AdapterError]] = {
    **dict.fromkeys(_REAUTH_CODES, ReauthRequired),
    **dict.fromkeys(_RATE_CODES, RateLimited),
    **dict.fromkeys(_TRANSIENT_CODES, Transient),
    **dict.fromkeys(_MEDIA_CODES, MediaRejected),
    368: Rejected,
}
# An object that does not exist (or the token cannot see): what a delete of something already gone answers.
NOT_FOUND_SUBCODE = 33
# Instagram's subcodes for a container that is gone (expired, or never built): create a new one.
CONTAINER_GONE_SUBCODES = frozenset({2207020, 2207008, 2207006})


@dataclass(frozen=True)
class GraphError:
    """The ``error`` object of a Graph failure answer."""

    message: str
    code: int | None
    subcode: int | None
    kind: str | None  # the error's type (OAuthException, ...)
    is_transient: bool
    user_message: str | None

    @classmethod
    def of(cls, body: Any) -> GraphError | None:
        error = body.get("error") if isinstance(body, Mapping) else None
        if not isinstance(error, Mapping):
            return None
        code, subcode = error.get("code"), error.get("error_subcode")
        user = error.get("error_user_msg")
        return cls(
            message=str(error.get("message") or "").strip(),
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            subcode=subcode if isinstance(subcode, int) and not isinstance(subcode, bool) else None,
            kind=error.get("type") if isinstance(error.get("type"), str) else None,
            is_transient=error.get("is_transient") is True,
            user_message=user.strip() if isinstance(user, str) and user.strip() else None,
        )

    def error_class(self) -> type[AdapterError] | None:
        """The taxonomy's class for this error, None where the HTTP status decides."""
        if self.subcode is not None and self.subcode in _SUBCODES:
            return _SUBCODES[self.subcode]
        if self.code is not None and self.code in _CODES:
            return _CODES[self.code]
        if self.is_transient:
            return Transient
        return None

    def describe(self) -> str:
        """``message (user message) [code/subcode]``: what Meta said, with the numbers to look up."""
        text = self.message or "no message"
        if self.user_message and self.user_message not in text:
            text += f" ({self.user_message})"
        numbers = "/".join(str(n) for n in (self.code, self.subcode) if n is not None)
        return f"{text} [code {numbers}]" if numbers else text
