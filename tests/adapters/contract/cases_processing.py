"""The contract cases of the platforms that process before they post (containers, upload sessions, publish ids:
Threads, Instagram, Facebook, LinkedIn, YouTube, TikTok), each failure in the platform's own envelope. Their
adapters classify by the platform's error code first (adapters/meta/errors.py, adapters/facebook/errors.py,
adapters/linkedin/errors.py, adapters/youtube/errors.py, adapters/tiktok/errors.py), so each status comes with the
code the platform sends with it."""

from __future__ import annotations

from typing import Any

from adapters.base import AdapterError, AuthExpired, MediaItem, Platform, ReauthRequired
from tests.adapters.contract.case import Case, limits
from tests.fakes.http import Response
from tests.media import make_jpeg, make_mp4

# Where a platform that fetches media itself (Instagram's containers, TikTok's pull) would find the file; the
# contract's platform answers before anything is fetched.
_MEDIA_URL = "http://127.0.0.1/media/contract"
JPEG = MediaItem(make_jpeg(), "image/jpeg", "image", width=5, height=7, public_url=f"{_MEDIA_URL}.jpg")
MP4 = MediaItem(make_mp4(), "video/mp4", "video", width=16, height=9, public_url=f"{_MEDIA_URL}.mp4")

# ---- Meta's Graph API: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id", "is_transient"}} -------

# The code (and subcode) Graph sends with each status: 190/463 an expired token, 200 a permission the app lacks,
# 100/33 an object that does not exist, 100 an invalid parameter, 4 the app's rate limit, 1 and 2 Meta's own failures.
_GRAPH_CODES: dict[int, tuple[int, int | None, str]] = {
    401: (190, 463, "OAuthException"),
    403: (200, None, "OAuthException"),
    404: (100, 33, "GraphMethodException"),
    413: (100, None, "OAuthException"),
    422: (100, None, "OAuthException"),
    429: (4, None, "OAuthException"),
    500: (1, None, "OAuthException"),
    503: (2, None, "OAuthException"),
}


def graph_error(
    status: int, code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException"
) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AContractTrace01"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return Response(status, {"error": error | {"is_transient": status >= 500}}, limits(status))


def _graph(status: int, message: str) -> Response:
    code, subcode, kind = _GRAPH_CODES[status]
    return graph_error(status, code, f"(#{code}) {message}", subcode=subcode, kind=kind)


# ---- LinkedIn: {"status", "serviceErrorCode", "code", "message"} --------------------------------------------------

_LINKEDIN_CODES: dict[int, tuple[str, int | None]] = {
    401: ("INVALID_ACCESS_TOKEN", 65600),
    403: ("ACCESS_DENIED", 100),
    404: ("NOT_FOUND", None),
    413: ("REQUEST_ENTITY_TOO_LARGE", None),
    422: ("UNPROCESSABLE_ENTITY", None),
    429: ("TOO_MANY_REQUESTS", 101),
    500: ("INTERNAL_SERVER_ERROR", None),
    503: ("SERVICE_UNAVAILABLE", None),
}


def linkedin_error(status: int, message: str) -> Response:
    code, service_code = _LINKEDIN_CODES[status]
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return Response(status, body, limits(status))


# ---- Google (YouTube): {"error": {"code", "message", "errors": [{"reason", "domain", "message"}], "status"}} --------

# A spent daily quota (403 quotaExceeded) waits for midnight Pacific, not a Retry-After: tests/adapters/youtube.
_GOOGLE_REASONS: dict[int, tuple[str, str, str]] = {
    401: ("authError", "global", "UNAUTHENTICATED"),
    403: ("forbidden", "global", "PERMISSION_DENIED"),
    404: ("notFound", "global", "NOT_FOUND"),
    413: ("uploadTooLarge", "global", "INVALID_ARGUMENT"),
    422: ("invalidMetadata", "youtube.video", "INVALID_ARGUMENT"),
    429: ("rateLimitExceeded", "usageLimits", "RESOURCE_EXHAUSTED"),
    500: ("backendError", "global", "INTERNAL"),
    503: ("backendError", "global", "UNAVAILABLE"),
}


def google_error(status: int, message: str, *, reason: str | None = None, domain: str | None = None) -> Response:
    """Google's envelope; ``reason`` and ``domain``: a method's own (videoNotFound) instead of the status's."""
    usual_reason, usual_domain, name = _GOOGLE_REASONS[status]
    errors = [{"message": message, "domain": domain or usual_domain, "reason": reason or usual_reason}]
    error = {"code": status, "message": message, "errors": errors, "status": name}
    return Response(status, {"error": error}, limits(status))


# ---- TikTok: {"data": {}, "error": {"code", "message", "log_id"}} --------------------------------------------------

# TikTok documents no code of its own for 404 and 413: its generic ones for a refused request and a refused file.
_TIKTOK_CODES = {
    401: "access_token_invalid",
    403: "unaudited_client_can_only_post_to_private_accounts",
    404: "invalid_params",
    413: "invalid_file_upload",
    422: "invalid_param",
    429: "rate_limit_exceeded",
    500: "internal_error",
    503: "internal_error",
}


def _tiktok(status: int, message: str) -> Response:
    error = {"code": _TIKTOK_CODES[status], "message": message, "log_id": "20261203110000000001"}
    return Response(status, {"data": {}, "error": error}, limits(status))


# ---- the cases --------------------------------------------------------------------------------------------------

THREADS_USER, INSTAGRAM_USER = "17841400000000001", "17841400000000002"
# Meta's 403 here (code 200) is a permission the app lacks: the account connects again granting it
# (adapters/meta/errors.py). An expired token (190/463) is ReauthRequired although both adapters refresh: Meta
# renews a live long-lived token ahead of its expiry, never an expired one.
_META_PERMISSION: dict[int, type[AdapterError]] = {403: ReauthRequired}

PROCESSING_CASES: dict[Platform, Case] = {
    # The user id as connecting stores it; the first request reads the publishing quota before any container.
    Platform.THREADS: Case(
        lambda _url: {"access_token": "THAAcontract", "user_id": THREADS_USER},
        _graph,
        _META_PERMISSION,
        prepares=("GET", f"/{THREADS_USER}/threads_publishing_limit"),
    ),
    Platform.INSTAGRAM: Case(
        lambda _url: {"access_token": "IGAAcontract", "user_id": INSTAGRAM_USER},
        _graph,
        _META_PERMISSION,
        media=(JPEG,),
        prepares=("GET", f"/{INSTAGRAM_USER}/content_publishing_limit"),
    ),
    # The Page token verify() learns and stores: the feed post is the first request. (Its table reads a permission
    # error by the HTTP status: Rejected, where Threads and Instagram ask for a reconnect.)
    Platform.FACEBOOK: Case(lambda _url: {"page_access_token": "EAAcontract", "page_id": "104000000000001"}, _graph),
    # The member's id verify() learns and stores; no refresh token (most LinkedIn apps get none).
    Platform.LINKEDIN: Case(lambda _url: {"access_token": "AQVcontract", "person_id": "contractMbr1"}, linkedin_error),
    # Offline access stores a refresh token: a refused access token (they last an hour) is the engine's to refresh
    # through the OAuth app, then the upload is tried once more. The first request starts the upload session.
    Platform.YOUTUBE: Case(
        lambda _url: {"access_token": "ya29.contract", "refresh_token": "1//contract", "channel_id": "UCcontract"},
        google_error,
        {401: AuthExpired},
        media=(MP4,),
        prepares=("POST", "/upload/youtube/v3/videos"),
    ),
    # Access tokens last 2 hours: a refused one is AuthExpired (the engine refreshes through the OAuth app). Every
    # post starts with creator_info, which reads the creator's privacy options.
    Platform.TIKTOK: Case(
        lambda _url: {"access_token": "act.contract", "refresh_token": "rft.contract", "open_id": "contract-open"},
        _tiktok,
        {401: AuthExpired},
        media=(MP4,),
        prepares=("POST", "/v2/post/publish/creator_info/query/"),
    ),
}
