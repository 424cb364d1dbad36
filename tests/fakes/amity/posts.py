"""Posts (``POST /api/v4/posts``, ``GET /api/v3/posts/{postId}``): text, media (one child post per attachment) or
poll posts, on the caller's feed or a community, and the answer Amity gives with a post."""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakes.amity import bodies, communities
from tests.fakes.amity.bodies import MAX_HASHTAG, MAX_HASHTAGS, MAX_TAG, MAX_TAGS, json_object, now
from tests.fakes.amity.errors import bad, invalid, not_found
from tests.fakes.amity.files import FileRoutes
from tests.fakes.amity.polls import PollRoutes
from tests.fakes.core import Created
from tests.fakes.http import Request, Response

_POST_FIELDS = frozenset(
    {
        "data",
        "attachments",
        "dataType",
        "targetType",
        "targetId",
        "metadata",
        "postId",
        "tags",
        "hashtags",
        "mentionees",
        "createdAt",
        "isDiscoverable",
    }
)
_POST_DATA_FIELDS = frozenset({"text", "title", "pollId"})


class PostRoutes(FileRoutes, PollRoutes):
    async def _create_post(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = json_object(request, _POST_FIELDS)
        data = body.get("data")
        if not isinstance(data, dict):
            raise invalid("The 'data' field is required.")
        unknown = sorted(set(data) - _POST_DATA_FIELDS)
        if unknown:
            raise bad(f"The fake does not know the field 'data.{unknown[0]}'")
        text = bodies.text(data.get("text"))
        attachments = self._attachments(body.get("attachments"), kinds=("image", "file", "video"))
        poll = self._poll_of(body, data, attachments, user)
        if poll is None and not text.strip() and not attachments:
            raise bad("require text or at least 1 attachments")
        target_type, target_id = communities.target(body, user)
        bodies.strings(body.get("tags"), "tags", MAX_TAGS, MAX_TAG)
        bodies.strings(body.get("hashtags"), "hashtags", MAX_HASHTAGS, MAX_HASHTAG)
        bodies.mentionees(body.get("mentionees"))
        if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
            raise invalid("The 'metadata' field must be an object.")
        if "isDiscoverable" in body and not isinstance(body["isDiscoverable"], bool):
            raise invalid("The 'isDiscoverable' field must be a boolean.")
        post_id = bodies.new_id(body.get("postId"), "postId", self._posts)
        children = [
            {
                "postId": secrets.token_hex(12),
                "parentPostId": post_id,
                "dataType": a["type"],
                "data": {"fileId": a["fileId"]},
                "postedUserId": user["userId"],
                "createdAt": now(),
            }
            for a in attachments
        ]
        post = {
            "postId": post_id,
            "_id": secrets.token_hex(12),
            "path": f"{target_type}/{target_id}/post/{post_id}",
            "data": {k: v for k, v in data.items() if k != "pollId"} | ({"pollId": poll["pollId"]} if poll else {}),
            "dataType": "poll" if poll else "text",
            "postedUserId": user["userId"],
            "targetType": target_type,
            "targetId": target_id,
            "metadata": body.get("metadata") or {},
            "tags": body.get("tags") or [],
            "hashtags": body.get("hashtags") or [],
            "mentionees": body.get("mentionees") or [],
            "isDiscoverable": body.get("isDiscoverable", True),
            "children": [c["postId"] for c in children],
            "comments": [],
            "commentsCount": 0,
            "reactions": {},
            "reactionsCount": 0,
            "isDeleted": False,
            "createdAt": now(),
            "updatedAt": now(),
        }
        self._posts[post_id], self._children[post_id] = post, children
        self.record(
            Created(
                id=post_id,
                account=user["userId"],
                text=text,
                idempotency_key=body.get("postId"),
                reply_to=None,
                received_at=request.received_at,
            )
        )
        return Response(200, self._post_answer(post, user))

    async def _get_post(self, request: Request) -> Response:
        user = self._caller(request)
        post = self._posts.get(request.param("_post_id") or "")
        if post is None:
            raise not_found("Resource Not Found.")
        return Response(200, self._post_answer(post, user))

    def _post_answer(self, post: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        children = self._children.get(post["postId"], [])
        poll = self._polls.get(post["data"].get("pollId", ""))
        return {
            "posts": [post],
            "postChildren": children,
            "comments": [],
            "users": [user],
            "files": [self._public(self._files[c["data"]["fileId"]]) for c in children],
            "polls": [poll] if poll else [],
            "communities": [],
            "communityUsers": [],
        }
