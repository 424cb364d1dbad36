"""A content item as the fake keeps it (the request that created it, its upload tickets, deleted or not), when it
is published (its ``publish_on`` has come and every announced file is in), and how Ziik and the control plane show
it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.ziik.users import USER, USER_ID


@dataclass
class Ticket:
    """One announced upload: its presigned URL's uuid, the file id and key Ziik hands out, the bytes once stored."""

    uuid: str
    file_id: int
    content_id: int
    key: str
    mime: str
    filename: str
    data: bytes | None = None
    finalised: bool = False


@dataclass
class Content:
    id: int
    request: dict[str, Any]
    created_at: int
    tickets: list[Ticket] = field(default_factory=list)
    deleted: bool = False
    author_id: int = USER_ID  # another's (POST /_fake/foreign_content) may not be edited or deleted by our user

    @property
    def expected_files(self) -> int:
        return int(self.request.get("fileCount") or 0)

    @property
    def files(self) -> list[Ticket]:
        return [t for t in self.tickets if t.finalised]

    def published_at(self, now: float) -> int | None:
        publish = self.request.get("publish") or {}
        when = publish.get("publish_on")
        waiting = len(self.files) < self.expected_files  # "publishing will wait until files have been uploaded"
        if not publish.get("status") or when is None or when > now or waiting:
            return None
        if publish.get("unpublish_on") is not None and publish["unpublish_on"] <= now:  # taken down by Ziik
            return None
        return max(int(when), self.created_at)

    def as_json(self, now: float) -> dict[str, Any]:
        r = self.request
        publish = r.get("publish") or {}
        return {
            "id": self.id,
            "content_type": "news",
            "title": r["title"],
            "body": r.get("body") or "",
            "show_in_feed": r.get("show_in_feed", True),
            "important": r.get("important", False),
            "actively_requires_action": False,
            "pinned": r.get("pinned") or {},
            "confirm": {"enabled": (r.get("confirm") or {}).get("enabled", False), "total": 0},
            "publish": {
                "status": publish.get("status", False),
                "publish_on": publish.get("publish_on"),
                "unpublish_on": publish.get("unpublish_on"),
                "published_at": self.published_at(now),
                "created_at": self.created_at,
                "updated_at": self.created_at,
            },
            "comments": {"enabled": (r.get("comments") or {}).get("enabled", True), "count": 0},
            "visibility": r.get("visibility") or {},
            "sharing": r.get("sharing") or {"shares": []},
            "uploading_files": self.expected_files - len(self.files),
            "files": [
                {
                    "id": t.file_id,
                    "name": t.filename,
                    "mime": t.mime,
                    "size": len(t.data or b""),
                    "type": t.mime.split("/")[0],
                    "uploaded": True,
                }
                for t in self.files
            ],
            "group": {"id": r["group"]} if r.get("group") else None,
            "author": {"content_type": "user", "id": self.author_id, "name": USER["name"]},
            "poll": r.get("poll"),
            "permissions": dict.fromkeys(("edit", "delete"), self.author_id == USER_ID),
            "url": f"api/content/{self.id}",
        }


def describe(content: Content, now: float) -> dict[str, Any]:
    return {
        "id": str(content.id),
        "request": content.request,
        "deleted": content.deleted,
        "author_id": content.author_id,
        "published": content.published_at(now) is not None,
        "uploading_files": content.expected_files - len(content.files),
        "files": [
            {"id": t.file_id, "name": t.filename, "mime": t.mime, "sha256": hashlib.sha256(t.data or b"").hexdigest()}
            for t in content.files
        ],
    }
