"""What the YouTube fake holds: the channels its tokens name, the upload sessions, the videos, the comments, and
Google's error envelope."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import Response

EXPIRED_TOKEN = "ya29.expired"  # a token past its hour: 401 authError
UPLOAD_ONLY_TOKEN = "ya29.upload-only"  # granted youtube.upload but not youtube.force-ssl: no comments
NO_CHANNEL_TOKEN = "ya29.no-channel"  # a Google account without a YouTube channel
UPLOAD_SCOPE = "https://www.googleapis.com/auth/youtube.upload"
COMMENT_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
CHUNK_QUANTUM = 256 * 1024
PEER_CHANNEL = "UCoauthpeer0000000000000"  # the channel of whoever connects through the OAuth peer, whatever token


def google_error(status: int, reason: str, message: str, domain: str = "youtube.api") -> Response:
    """Google's error envelope, as every Data API method answers a failure."""
    statuses = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}
    error = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
        "status": statuses.get(status, "UNKNOWN"),
    }
    return Response(status, {"error": error})


@dataclass(frozen=True)
class Account:
    token: str
    channel_id: str
    scopes: frozenset[str]
    has_channel: bool = True


def account_for(token: str | None) -> Account | None:
    """Any ``ya29.`` token is a user (the token names the channel), but EXPIRED_TOKEN."""
    if token is None or not token.startswith("ya29.") or token == EXPIRED_TOKEN:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    scopes = frozenset({UPLOAD_SCOPE}) if token == UPLOAD_ONLY_TOKEN else frozenset({UPLOAD_SCOPE, COMMENT_SCOPE})
    return Account(token, f"UC{digest[:22]}", scopes, has_channel=token != NO_CHANNEL_TOKEN)


@dataclass
class UploadSession:
    id: str
    account: str
    resource: dict[str, Any]
    size: int
    content_type: str
    received: bytearray = field(default_factory=bytearray)
    starts: list[int] = field(default_factory=list)  # the first byte of every chunk sent, in order
    video_id: str | None = None
    expired: bool = False


@dataclass
class Video:
    id: str
    account: str
    resource: dict[str, Any]
    size: int
    thumbnail: int | None = None  # bytes of the thumbnail set

    def as_json(self) -> dict[str, Any]:
        snippet = {**self.resource.get("snippet", {}), "channelId": self.account}
        status = {"uploadStatus": "uploaded", "privacyStatus": "public", **self.resource.get("status", {})}
        return {"kind": "youtube#video", "etag": f"etag-{self.id}", "id": self.id, "snippet": snippet, "status": status}


@dataclass
class Comment:
    id: str
    account: str
    video_id: str
    text: str
    parent_id: str | None  # None: a top-level comment (its thread has the same id)

    def as_json(self) -> dict[str, Any]:
        snippet: dict[str, Any] = {
            "videoId": self.video_id,
            "textOriginal": self.text,
            "textDisplay": self.text,
            "authorChannelId": {"value": self.account},
            "channelId": self.account,
        }
        if self.parent_id:
            snippet["parentId"] = self.parent_id
        return {"kind": "youtube#comment", "etag": f"etag-{self.id}", "id": self.id, "snippet": snippet}

    def thread_json(self) -> dict[str, Any]:
        snippet = {"videoId": self.video_id, "topLevelComment": self.as_json(), "canReply": True, "isPublic": True}
        return {"kind": "youtube#commentThread", "etag": f"etag-t-{self.id}", "id": self.id, "snippet": snippet}
