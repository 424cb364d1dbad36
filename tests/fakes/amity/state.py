"""``AmityState``: what the fake keeps (users seen, files, polls, posts and their children, comments) and who is
calling. The route groups (files.py, polls.py, posts.py, comments.py) build on it; routes.py puts them together."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.amity import users
from tests.fakes.amity.bodies import now
from tests.fakes.amity.errors import Refusal, not_found
from tests.fakes.amity.users import REVOKED_TOKEN, VISITOR_TOKEN
from tests.fakes.core import FakePlatform
from tests.fakes.http import Request, Response


class AmityState(FakePlatform):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._serial = itertools.count(1)
        self._users: dict[str, dict[str, Any]] = {}
        self._files: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, dict[str, Any]] = {}
        self._posts: dict[str, dict[str, Any]] = {}
        self._children: dict[str, list[dict[str, Any]]] = {}  # post id → its child posts (one per attachment)
        self._comments: dict[str, dict[str, Any]] = {}
        self._scripted: list[Response] = []  # errors to answer before anything else (PUT /_fake/next_error)

    def _caller(self, request: Request, *, writes: bool = False) -> dict[str, Any]:
        token = request.bearer()
        if not token or token.strip() == REVOKED_TOKEN:
            raise Refusal(401, 400100, "Unauthorized")
        if writes and token.strip() == VISITOR_TOKEN:
            raise Refusal(403, 403999, "Visitor permission denied")
        user = users.user(token.strip())
        self._users.setdefault(user["userId"], user)
        return user

    def _file(self, file_id: str) -> dict[str, Any]:
        file = self._files.get(file_id)
        if file is None:
            raise not_found(f"File not found {file_id}.")
        return file

    def _public(self, file: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in file.items() if k != "owner"}

    def _deleted(self, request: Request, items: dict[str, dict[str, Any]], item_id: str, author_field: str) -> Response:
        """``DELETE /api/v4/posts|comments/{id}`` (``?permanent=true``: removed outright): the author's own only
        (400300 otherwise); soft by default, the item kept with ``isDeleted``; one deleted already is not found."""
        user = self._caller(request, writes=True)
        item = items.get(item_id)
        if item is None or item["isDeleted"]:
            raise not_found("Resource Not Found.")
        if item[author_field] != user["userId"]:
            raise Refusal(403, 400300, "Forbidden")
        if request.param("permanent") == "true":
            del items[item_id]
        else:
            item.update(isDeleted=True, deletedAt=now(), deletedBy=user["userId"], updatedAt=now())
        return Response(200, {"status": "ok", "data": {"success": True}})
