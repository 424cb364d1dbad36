"""What TikTok's answers mean. Every answer carries ``{"data": ..., "error": {"code", "message", "log_id"}}``; only
``"code": "ok"`` is a success, whatever the HTTP status says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.base import AuthExpired, MediaRejected, RateLimited, ReauthRequired, Rejected, Transient
from adapters.http import ErrorTable

TIKTOK_ERRORS = ErrorTable(
    statuses={401: AuthExpired},  # access tokens last 2 hours and refresh
    codes={
        "access_token_invalid": AuthExpired,
        "scope_not_authorized": ReauthRequired,
        "scope_permission_missed": ReauthRequired,
        "rate_limit_exceeded": RateLimited,
        "spam_risk_too_many_posts": RateLimited,
        "spam_risk_too_many_pending_share": RateLimited,
        "spam_risk_user_banned_from_posting": Rejected,
        "reached_active_user_cap": RateLimited,
        "unaudited_client_can_only_post_to_private_accounts": Rejected,
        "privacy_level_option_mismatch": Rejected,
        "invalid_param": Rejected,
        "url_ownership_unverified": MediaRejected,
        "internal_error": Transient,
    },
)
# Reasons of a FAILED publish that are the file's fault (status/fetch's fail_reason).
MEDIA_FAILURES = frozenset(
    {
        "file_format_check_failed",
        "duration_check_failed",
        "frame_rate_check_failed",
        "picture_size_check_failed",
        "video_pull_failed",
        "photo_pull_failed",
        "internal_error_upload",
    }
)
UNAUDITED = "unaudited_client_can_only_post_to_private_accounts"


def error_of(body: Any) -> Mapping[str, Any]:
    error = body.get("error") if isinstance(body, Mapping) else None
    return error if isinstance(error, Mapping) else {}


def code_of(body: Any) -> str | None:
    code = error_of(body).get("code")
    return code if isinstance(code, str) and code else None


def message_of(body: Any) -> str:
    error = error_of(body)
    code, message, log_id = code_of(body), error.get("message"), error.get("log_id")
    text = f"{code}: {message}" if code and message else code or (message if isinstance(message, str) else "")
    return f"{text} (log_id {log_id})" if log_id and text else text
