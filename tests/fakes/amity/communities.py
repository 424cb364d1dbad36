"""Where a post goes: the caller's own user feed, or a community (``COMMUNITY_ID``: every user is a member;
``CLOSED_COMMUNITY_ID``: nobody is)."""

from __future__ import annotations

from typing import Any

from tests.fakes.amity.bodies import MAX_ID
from tests.fakes.amity.errors import Refusal, bad, invalid, not_found

COMMUNITY_ID = "octopost-friends"
CLOSED_COMMUNITY_ID = "staff-only"


def target(body: dict[str, Any], user: dict[str, Any]) -> tuple[str, str]:
    """A post's (targetType, targetId), or Amity's refusal of it."""
    target_type = body.get("targetType", "user")
    target_id = body.get("targetId")
    if target_type not in ("user", "community", "content"):
        raise invalid("The 'targetType' field does not match any of the allowed values.")
    if target_id is not None and (not isinstance(target_id, str) or not target_id or len(target_id) > MAX_ID):
        raise invalid(f"The 'targetId' field must be a string of 1 to {MAX_ID} characters.")
    if target_type == "content":
        raise bad("the fake takes posts on user and community feeds only")
    if target_type == "user":
        if target_id not in (None, user["userId"]):
            raise Refusal(403, 400301, "Permission denied")
        return "user", user["userId"]
    if target_id is None:
        raise invalid("The 'targetId' field is required.")
    if target_id not in (COMMUNITY_ID, CLOSED_COMMUNITY_ID):
        raise not_found("Community not found.")
    if target_id == CLOSED_COMMUNITY_ID:
        raise Refusal(403, 400100, f"User {user['userId']} is not join this community {target_id}")
    return "community", target_id
