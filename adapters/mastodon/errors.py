"""The one place Mastodon.py's errors become the adapter taxonomy (see adapters/base.py)."""

from __future__ import annotations

from collections.abc import Mapping

from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
    MastodonVersionError,
)
from requests.structures import CaseInsensitiveDict

from adapters.answers import retry_after_seconds
from adapters.base import AdapterError, RateLimited, ReauthRequired, Rejected, Transient


def translate_error(
    exc: MastodonError,
    *,
    action: str,
    rate_limit_headers: Mapping[str, str] | None = None,
    now: float | None = None,
) -> AdapterError:
    """Map a Mastodon.py exception raised during ``action`` (e.g. "post") to the adapter taxonomy."""
    where = f"Mastodon {action}"
    if isinstance(exc, MastodonRatelimitError):
        # Real Mastodon sends X-RateLimit-Reset (ISO 8601) and a Date; Retry-After only on some limits.
        retry_after = retry_after_seconds(CaseInsensitiveDict(rate_limit_headers or {}), now=now)
        return RateLimited(f"{where}: the instance's rate limit was hit", retry_after=retry_after)
    if isinstance(exc, MastodonNetworkError):
        # A read timeout or a dropped connection comes after the request was sent: in general that is
        # OutcomeUnknown. Here a resend is safe, so it is Transient: the only call that creates a post,
        # status_post, always carries the segment's Idempotency-Key, and Mastodon answers a repeat with the
        # first status (PlatformInfo.idempotent_publish). A repeated media upload only leaves an unattached
        # upload that Mastodon purges. Mastodon keeps idempotency keys about an hour: a resend much later
        # than that is the publisher's call (the delivery ledger knows when the segment was first sent).
        return Transient(f"{where} failed on the network ({exc}); resending with the same Idempotency-Key is safe")
    if isinstance(exc, MastodonUnauthorizedError):
        return ReauthRequired(
            f"Mastodon refused the access token during {action} ({_server_message(exc) or '401'}): "
            "it was revoked or has expired; reconnect the account"
        )
    if isinstance(exc, MastodonServerError):
        return Transient(f"{where}: the instance answered {_status(exc)} ({_server_message(exc)})")
    if isinstance(exc, MastodonAPIError):
        status, message = _status(exc), _server_message(exc)
        if status is None:  # an unparseable body: the instance misbehaved, not our content
            return Transient(f"{where}: unreadable answer from the instance ({exc.args[0]})")
        if status == 403 and any(word in message.lower() for word in ("scope", "login", "suspend", "disabled")):
            return ReauthRequired(f"Mastodon refused the account during {action} (403: {message}); reconnect it")
        if status in (408, 425) or status >= 500:
            return Transient(f"{where}: the instance answered {status} ({message})")
        if status == 422 and "processing" in message.lower():
            # "Cannot attach files that have not finished processing": a race with the media pipeline.
            return Transient(f"{where}: {message}")
        return Rejected(f"{where} was rejected ({status}): {message or 'no reason given'}")
    if isinstance(exc, MastodonIllegalArgumentError | MastodonVersionError):
        return Rejected(f"{where} was refused by Mastodon.py: {exc}")
    return Transient(f"{where} failed: {exc}")


def _status(exc: MastodonAPIError) -> int | None:
    # Mastodon.py raises ('Mastodon API returned error', status, reason, message) for HTTP errors.
    return exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None


def _server_message(exc: MastodonError) -> str:
    return str(exc.args[3]) if len(exc.args) > 3 and exc.args[3] else ""
