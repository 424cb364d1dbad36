"""Comments (``POST /api/v3/comments``, ``GET /api/v3/comments/{commentId}``): on posts only, text and image or
video attachments, optionally under a parent comment of the same post."""

from __future__ import annotations

from typing import Any

from tests.fakes.amity import bodies
from tests.fakes.amity.bodies import MAX_ID, json_object, now
from tests.fakes.amity.errors import bad, invalid, not_found
from tests.fakes.amity.files import FileRoutes
from tests.fakes.core import Created
from tests.fakes.http import Request, Response

_COMMENT_FIELDS = frozenset(
    {
        "referenceId",
        "referenceType",
        "data",
        "metadata",
        "commentId",
        "parentId",
        "mentionees",
        "createdAt",
        "attachments",
    }
)


class CommentRoutes(FileRoutes):
    async def _create_comment(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = json_object(request, _COMMENT_FIELDS)
        reference = body.get("referenceId")
        if not isinstance(reference, str) or not reference or len(reference) > MAX_ID:
            raise invalid("The 'referenceId' field is required.")
        if body.get("referenceType", "post") != "post":
            raise bad("the fake takes comments on posts only (referenceType: post)")
        data = body.get("data") or {}
        if not isinstance(data, dict) or set(data) - {"text"}:
            raise bad("The fake knows only 'data.text' in a comment")
        text = bodies.text(data.get("text"))
        attachments = self._attachments(body.get("attachments"), kinds=("image", "video"))
        if not text.strip() and not attachments:
            raise bad("require text or at least 1 attachments")
        bodies.mentionees(body.get("mentionees"))
        post = self._posts.get(reference)
        if post is None:
            raise not_found("Post not found.")
        parent = body.get("parentId")
        if parent is not None and self._comments.get(parent, {}).get("referenceId") != reference:
            raise not_found("Parent comment not found.")
        comment_id = bodies.new_id(body.get("commentId"), "commentId", self._comments)
        comment = {
            "commentId": comment_id,
            "userId": user["userId"],
            "referenceId": reference,
            "referenceType": "post",
            "parentId": parent,
            "data": data,
            "dataTypes": ["text", *sorted({a["type"] for a in attachments})],
            "attachments": attachments,
            "metadata": body.get("metadata") or {},
            "isDeleted": False,
            "mentionees": body.get("mentionees") or [],
            "createdAt": now(),
            "updatedAt": now(),
        }
        self._comments[comment_id] = comment
        post["comments"].append(comment_id)
        post["commentsCount"] += 1
        self.record(
            Created(
                id=comment_id,
                account=user["userId"],
                text=text,
                idempotency_key=body.get("commentId"),
                reply_to=reference,
                received_at=request.received_at,
            )
        )
        return Response(200, self._comment_answer(comment, user))

    async def _get_comment(self, request: Request) -> Response:
        user = self._caller(request)
        comment = self._comments.get(request.param("_comment_id") or "")
        if comment is None:
            raise not_found("Resource Not Found.")
        return Response(200, self._comment_answer(comment, user))

    def _comment_answer(self, comment: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        files = [self._public(self._files[a["fileId"]]) for a in comment["attachments"]]
        return {"comments": [comment], "commentChildren": [], "users": [user], "files": files, "communityUsers": []}
