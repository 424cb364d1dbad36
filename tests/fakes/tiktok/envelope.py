"""TikTok's answers, as the fake gives them: the ``{"data", "error": {"code", "message", "log_id"}}`` envelope, the
accounts its tokens name, and the rules of a direct post's fields and chunks (TikTok's Content Posting API docs)."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import Response

EXPIRED_TOKEN = "act.expired"
UNAUDITED_TOKEN = "act.unaudited"  # an app TikTok has not audited: SELF_ONLY only
OWN_OPEN_ID = "fake-open-id"  # the user of the fake's own act. tokens
PEER_OPEN_ID = "-000peer-open-id"  # the user of every token the trusted OAuth peer issued
# What each call needs granted (TikTok's scopes): user info reads the user, everything else posts.
USER_SCOPE, POST_SCOPE = "user.info.basic", "video.publish"
# user/info's fields that user.info.basic grants; the others need user.info.profile or user.info.stats.
BASIC_USER_FIELDS = frozenset(
    {"open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url", "display_name"}
)
PRIVACY_LEVELS = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
MB = 1024 * 1024
VIDEO_POST_INFO = {
    "title",
    "privacy_level",
    "disable_duet",
    "disable_comment",
    "disable_stitch",
    "video_cover_timestamp_ms",
    "brand_content_toggle",
    "brand_organic_toggle",
    "is_aigc",
}
PHOTO_POST_INFO = {
    "title",
    "description",
    "privacy_level",
    "disable_comment",
    "auto_add_music",
    "brand_content_toggle",
    "brand_organic_toggle",
    "is_aigc",
}
# The HTTP status TikTok answers each error code with.
STATUSES = {
    "invalid_param": 400,
    "privacy_level_option_mismatch": 400,
    "access_token_invalid": 401,
    "scope_not_authorized": 401,
    "scope_permission_missed": 401,
    "spam_risk_too_many_posts": 403,
    "unaudited_client_can_only_post_to_private_accounts": 403,
    "url_ownership_unverified": 403,
    "rate_limit_exceeded": 429,
    "internal_error": 500,
}
_log_ids = itertools.count(1)


def envelope(data: Any, code: str = "ok", message: str = "", status: int | None = None) -> Response:
    error = {"code": code, "message": message, "log_id": f"2026120311{next(_log_ids):010d}"}
    return Response(status or (200 if code == "ok" else STATUSES.get(code, 400)), {"data": data, "error": error})


def fail(code: str, message: str, status: int | None = None) -> Response:
    return envelope({}, code, message, status)


@dataclass(frozen=True)
class Creator:
    username: str
    open_id: str
    unaudited: bool = False


def creator_for(token: str | None) -> Creator | None:
    """The creator one of the fake's own tokens names (every scope granted)."""
    if token is None or not token.startswith("act.") or token == EXPIRED_TOKEN:
        return None
    return Creator("octopost.fake", OWN_OPEN_ID, unaudited=token == UNAUDITED_TOKEN)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def chunk_problems(source: dict[str, Any]) -> list[str]:
    """FILE_UPLOAD's rules: 5-64 MB chunks (the last up to 128 MB), the count = size // chunk, 1-1000 chunks, a
    video under 5 MB whole, one over 64 MB in several."""
    values = [source.get(k) for k in ("video_size", "chunk_size", "total_chunk_count")]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
        return ["source_info needs video_size, chunk_size and total_chunk_count, positive integers"]
    size, chunk, count = (int(v or 0) for v in values)
    problems = []
    if size < 5 * MB and (chunk != size or count != 1):
        problems.append("a video under 5 MB is uploaded whole (chunk_size = video_size, one chunk)")
    if size >= 5 * MB and not 5 * MB <= chunk <= 64 * MB:
        problems.append("chunk_size must be 5-64 MB")
    if count != max(1, size // chunk):
        problems.append("total_chunk_count must be video_size // chunk_size")
    if not 1 <= count <= 1000:
        problems.append("1 to 1000 chunks")
    if size - chunk * (count - 1) > 128 * MB:
        problems.append("the last chunk may be at most 128 MB")
    return problems


@dataclass
class Publish:
    id: str
    creator: str
    kind: str  # video or photo
    text: str
    post_info: dict[str, Any]
    status: str  # PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, PUBLISH_COMPLETE, FAILED
    polls_left: int
    fail_reason: str | None = None
    plan: dict[str, int] = field(default_factory=dict)  # FILE_UPLOAD: video_size, chunk_size, total_chunk_count
    received: int = 0
    chunks: int = 0
    # SHA-256 of each file TikTok took: the uploaded video (all chunks), or each one it pulled, in order.
    sha256: list[str] = field(default_factory=list)
    post_id: int | None = None
    upload_token: str = ""

    @staticmethod
    def token_of(publish_id: str) -> str:
        return hashlib.sha256(publish_id.encode()).hexdigest()[:16]
