"""``FakeAmity``: the route groups put together behind Amity's error shapes, the reads of who is calling, and the
control plane's scripted errors (see the package's docstring)."""

from __future__ import annotations

from tests.fakes.amity.comments import CommentRoutes
from tests.fakes.amity.errors import amity_shaped, answering_refusals, not_found
from tests.fakes.amity.posts import PostRoutes
from tests.fakes.core import Route
from tests.fakes.http import Request, Response


class FakeAmity(PostRoutes, CommentRoutes):
    write_paths = (
        "/api/v4/posts",
        "/api/v3/comments",
        "/api/v4/comments",
        "/api/v3/polls",
        "/api/v4/images",
        "/api/v4/videos",
        "/api/v4/files",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        routes: dict[tuple[str, str], Route] = {
            ("GET", "/api/v4/me/followInfo"): self._follow_info,
            ("GET", "/api/v3/users/{user_id}"): self._get_user,
            ("POST", "/api/v4/images"): self._upload,
            ("POST", "/api/v4/videos"): self._upload,
            ("POST", "/api/v4/files"): self._upload,
            ("PUT", "/api/v3/files/{file_id}"): self._update_file,
            ("GET", "/api/v3/files/{file_id}"): self._get_file,
            ("POST", "/api/v3/polls"): self._create_poll,
            ("POST", "/api/v4/posts"): self._create_post,
            ("GET", "/api/v3/posts/{post_id}"): self._get_post,
            ("POST", "/api/v3/comments"): self._create_comment,
            ("GET", "/api/v3/comments/{comment_id}"): self._get_comment,
            ("DELETE", "/api/v4/posts/{post_id}"): self._delete_post,
            ("DELETE", "/api/v4/comments/{comment_id}"): self._delete_comment,
        }
        self._routes = {path: answering_refusals(route) for path, route in routes.items()}

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        return amity_shaped(await super().__call__(request))

    async def _answer(self, request: Request) -> Response:
        if self._scripted:
            return self._scripted.pop(0)
        return await super()._answer(request)

    def _control(self, request: Request) -> Response:
        if request.path == "/_fake/reset":
            self._scripted.clear()
        return super()._control(request)

    def control(self, request: Request) -> Response:
        if request.path != "/_fake/next_error" or request.method != "PUT":
            return super().control(request)
        body = request.json_object() or {}
        error = {"status": "error", "code": body.get("code"), "message": body.get("message", "")}
        self._scripted = [Response(int(body.get("status", 400)), error)] * int(body.get("count", 1))
        return Response(200, {"scripted": len(self._scripted)})

    async def _delete_post(self, request: Request) -> Response:
        return self._deleted(request, self._posts, request.param("_post_id") or "", "postedUserId")

    async def _delete_comment(self, request: Request) -> Response:
        return self._deleted(request, self._comments, request.param("_comment_id") or "", "userId")

    # ---- who is calling ----------------------------------------------------------------------------------

    async def _follow_info(self, request: Request) -> Response:
        user = self._caller(request)
        counts = {"userId": user["userId"], "followerCount": 0, "followingCount": 0, "pendingCount": 0}
        return Response(200, {"followCounts": [counts]})

    async def _get_user(self, request: Request) -> Response:
        self._caller(request)
        user = self._users.get(request.param("_user_id") or "")
        if user is None:
            raise not_found("User Not Found.")
        avatar = {
            "fileId": user["avatarFileId"],
            "type": "image",
            "accessType": "public",
            "fileUrl": f"https://api.amity.example/api/v3/files/{user['avatarFileId']}/download",
        }
        return Response(200, {"users": [user], "files": [avatar], "roles": []})
