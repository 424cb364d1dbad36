"""The user a token names: any token is a user, except ``REVOKED_TOKEN`` (401); ``VISITOR_TOKEN`` may read but not
write."""

from __future__ import annotations

import hashlib
from typing import Any

REVOKED_TOKEN = "revoked-amity-token"
VISITOR_TOKEN = "visitor-amity-token"


def user(token: str) -> dict[str, Any]:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return {
        "userId": f"user-{digest[:12]}",
        "userPublicId": f"user-{digest[:12]}",
        "userInternalId": digest[:24],
        "displayName": f"Fake User {int(digest[:6], 16) % 1000}",
        "profileHandle": f"fake_{digest[:8]}",
        "avatarFileId": f"avatar{digest[:26]}",
        "roles": [],
        "metadata": {},
        "isGlobalBan": False,
        "isDeleted": False,
        "createdAt": "2024-01-01T00:00:00.000Z",
        "updatedAt": "2024-01-01T00:00:00.000Z",
    }
