"""``AmityState``: what the fake keeps (users seen, files, polls, posts and their children, comments) and who is
calling. The route groups (files.py, polls.py, posts.py, comments.py) build on it; routes.py puts them together."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.amity import users
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
