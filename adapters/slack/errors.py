"""What Slack's answers mean, for the shared platform client (adapters/http.py).

Slack answers almost every failure with HTTP 200 and ``{"ok": false, "error": "<code>"}`` (sometimes with
``needed``/``provided`` scopes, or ``response_metadata.messages``); a rate limit is HTTP 429 with ``Retry-After``
and ``"error": "ratelimited"``. An HTTP 5xx without such a body comes from Slack's edge, before its application
ran: Transient. Slack's own ``internal_error`` and ``fatal_error`` are documented as "it's possible some aspect of
the operation succeeded": retryable for a read or an upload ticket, but in doubt for a call that posts
(``IN_DOUBT``, see SlackApi.call).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.base import AdapterError, MediaRejected, RateLimited, ReauthRequired, Transient
from adapters.http import ErrorTable

# The token is not (or no longer) good: the account must be connected again with a working one.
_REAUTH = ("not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive", "ekm_access_denied")
# "ratelimited" is the HTTP 429 one; chat.postMessage's "rate_limited" and a free workspace's
# "message_limit_exceeded" also say "later", without a Retry-After.
_LATER = ("ratelimited", "rate_limited", "message_limit_exceeded")
_SLACK_FAILED = ("internal_error", "fatal_error", "service_unavailable", "request_timeout")
_FILE_REFUSED = (
    "file_type_not_allowed",
    "file_upload_size_restricted",
    "file_uploads_disabled",
    "file_uploads_except_images_disabled",
    "alt_txt_too_large",
    "storage_limit_reached",
    "file_not_found",
)
# Answered to a call that posts, these leave the post in doubt (OutcomeUnknown), never Transient.
IN_DOUBT = frozenset({"internal_error", "fatal_error"})

_CODES: dict[str, type[AdapterError]] = {
    **dict.fromkeys(_REAUTH, ReauthRequired),
    **dict.fromkeys(_LATER, RateLimited),
    **dict.fromkeys(_SLACK_FAILED, Transient),
    **dict.fromkeys(_FILE_REFUSED, MediaRejected),
}
# Every other code (channel_not_found, not_in_channel, is_archived, msg_too_long, no_text, missing_scope,
# invalid_arguments, ...) is the default's Rejected: Slack refused this request and would refuse it again.
SLACK_ERRORS = ErrorTable(codes=_CODES)

# What to do about the refusals people meet when connecting and posting, next to Slack's code.
HINTS = {
    "not_in_channel": "the bot is not a member of the channel: invite it there with /invite @<the app's name>",
    "channel_not_found": "no such channel, or the bot cannot see it (a private channel needs the bot invited first)",
    "is_archived": "the channel is archived",
    "msg_too_long": "the text is too long for one Slack message",
    "invalid_auth": "the token is not valid",
    "token_revoked": "the token was revoked (the app was uninstalled or the token rotated)",
    "account_inactive": "the bot or its workspace was deactivated",
    "not_authed": "no token was sent",
    "posting_to_channel_denied": "the bot may not post in that channel",
}


def error_code(body: Any) -> str | None:
    code = body.get("error") if isinstance(body, Mapping) and body.get("ok") is False else None
    return code if isinstance(code, str) and code else None


def describe(body: Any) -> str:
    """``code: what it means``, with the scope a ``missing_scope`` needs and Slack's own detail messages."""
    code = error_code(body)
    if code is None:
        return ""
    assert isinstance(body, Mapping)
    parts = [code]
    if code == "missing_scope" and isinstance(body.get("needed"), str):
        parts.append(
            f"the app lacks the {body['needed']} scope: add it under OAuth & Permissions and reinstall the app"
        )
    elif code in HINTS:
        parts.append(HINTS[code])
    metadata = body.get("response_metadata")
    messages = metadata.get("messages") if isinstance(metadata, Mapping) else None
    if isinstance(messages, list):
        parts.extend(m for m in messages[:3] if isinstance(m, str) and m)
    return ": ".join(parts[:2]) + "".join(f" ({m})" for m in parts[2:])
