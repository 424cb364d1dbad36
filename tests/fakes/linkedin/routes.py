"""``FakeLinkedIn``: the versioned REST calls the adapter makes, strict where LinkedIn is (see __init__)."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import unquote

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response
from tests.fakes.linkedin.media import MediaRoutes, Settings, Upload
from tests.fakes.linkedin.members import (
    MAX_COMMENTARY,
    MEMBERS,
    Member,
    failure,
    forbidden,
    peer_member,
    shown,
    token_failure,
    unprocessable,
    version_failure,
)

POST_FIELDS = frozenset(
    {"author", "commentary", "visibility", "distribution", "lifecycleState", "isReshareDisabledByAuthor", "content"}
)
REQUIRED_POST_FIELDS = ("author", "visibility", "distribution", "lifecycleState")
THROTTLED = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."


@dataclass
class Post:
    urn: str
    author: str
    commentary: str  # as sent
    shown: str  # as people see it
    truncated: bool
    content: Any
    deleted: bool = False


class FakeLinkedIn(MediaRoutes, FakePlatform):
    write_paths = ("/rest/posts", "/rest/socialActions", "/rest/images", "/rest/videos", "/upload/")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(7_100_000_000)
        self._forget()
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/v2/userinfo"): self._userinfo,
            ("POST", "/rest/images"): self._rest(self._images),
            ("PUT", "/upload/images/{id}"): self._put_image,
            ("POST", "/rest/videos"): self._rest(self._videos),
            ("GET", "/rest/videos/{urn}"): self._rest(self._video_status),
            ("PUT", "/upload/videos/{id}/{part}"): self._put_part,
            ("POST", "/rest/posts"): self._rest(self._create_post),
            ("DELETE", "/rest/posts/{urn}"): self._rest(self._delete_post),
            ("POST", "/rest/socialActions/{urn}/comments"): self._rest(self._comment),
            ("DELETE", "/rest/socialActions/{urn}/comments/{comment}"): self._rest(self._delete_comment),
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    def _forget(self) -> None:
        self.settings = Settings()
        self.uploads: dict[str, Upload] = {}
        self.posts: dict[str, Post] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.next_errors: list[dict[str, Any]] = []

    def on_reset(self) -> None:
        self._forget()

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/settings" and request.method == "PUT":
            self.settings = Settings(**(request.json() or {}))
            return Response(200, asdict(self.settings))
        if request.path == "/_fake/next_error" and request.method == "PUT":
            self.next_errors.append(request.json())
            return Response(200, {})
        if request.path == "/_fake/finish_processing" and request.method == "POST":
            self.finish_processing()
            return Response(200, {})
        if request.path == "/_fake/posts" and request.method == "GET":
            return Response(200, [asdict(post) for post in self.posts.values()])
        if request.path == "/_fake/comments" and request.method == "GET":
            return Response(200, list(self.comments.values()))
        if request.path == "/_fake/uploads" and request.method == "GET":
            rows = [
                {
                    **asdict(u),
                    "data": None,
                    "parts": sorted(u.parts),
                    "received": len(u.data) + sum(map(len, u.parts.values())),
                }
                for u in self.uploads.values()
            ]
            return Response(200, rows)
        return super().control(request)

    # ---- the envelope of every /rest call ------------------------------------------------------------

    def _member(self, request: Request) -> tuple[Member | None, Response | None]:
        token = request.bearer()
        scopes = self.oauth_scopes(token)
        if scopes is not None:  # a live token of the OAuth peer: exactly the scopes it was granted
            return peer_member(scopes), None
        refusal = token_failure(token)
        return (None, refusal) if refusal is not None else (MEMBERS[token or ""], None)

    def _rest(self, handler: Any) -> Route:
        async def route(request: Request) -> Response:
            member, refusal = self._member(request)
            refusal = refusal or version_failure(request.headers)
            if refusal is not None or member is None:
                return refusal or failure(401, "Invalid access token", service_code=65600)
            planned = next((e for e in self.next_errors if request.path.startswith(e.get("path", "?"))), None)
            if planned is not None:
                self.next_errors.remove(planned)
                return self._planned(planned)
            response: Response = await handler(request, member)
            return response

        return route

    def _planned(self, planned: dict[str, Any]) -> Response:
        status = int(planned["status"])
        if status == 429:
            return failure(429, THROTTLED, code="TOO_MANY_REQUESTS", service_code=101)
        message = planned.get("message", "Internal Server Error")
        return failure(status, message, code=planned.get("code"))

    async def _userinfo(self, request: Request) -> Response:
        member, refusal = self._member(request)
        if refusal is not None or member is None:
            return refusal or failure(401, "Invalid access token")
        if not {"openid", "profile"} <= member.scopes:  # Sign In with LinkedIn using OpenID Connect
            return forbidden("userinfo.GET")
        return Response(
            200,
            {
                "sub": member.sub,
                "name": member.name,
                "email_verified": True,
                "locale": {"country": "US", "language": "en"},
                "picture": f"https://media.licdn.com/{member.sub}.jpg",
            },
        )

    async def _create_post(self, request: Request, member: Member) -> Response:
        body = request.json_object()
        if body is None:
            return failure(400, "Invalid JSON", code="ILLEGAL_ARGUMENT")
        problem = self._post_problem(body, member)
        if problem is not None:
            return problem
        author, commentary = body["author"], body.get("commentary", "")
        text, truncated = shown(commentary)
        if len(text) > MAX_COMMENTARY:
            return unprocessable(f"/commentary :: length of {len(text)} exceeds maximum of {MAX_COMMENTARY}")
        duplicate = next(
            (
                p
                for p in self.posts.values()
                if p.author == author
                and p.commentary == commentary
                and not p.deleted
                and p.content == body.get("content")
            ),
            None,
        )
        if duplicate is not None:
            return unprocessable(f"Content is a duplicate of {duplicate.urn}")
        urn = f"urn:li:share:{next(self._ids)}"
        self.posts[urn] = Post(urn, author, commentary, text, truncated, body.get("content"))
        self.record(Created(urn, author, text, None, None, request.received_at))
        return Response(201, b"", {"x-restli-id": urn})

    def _post_problem(self, body: dict[str, Any], member: Member) -> Response | None:
        unknown = sorted(set(body) - POST_FIELDS)
        if unknown:
            return unprocessable(f"/{unknown[0]} :: unrecognized field found but not allowed")
        missing = [name for name in REQUIRED_POST_FIELDS if name not in body]
        if missing:
            return unprocessable(f"/{missing[0]} :: field is required but not found and has no default value")
        if not isinstance(body.get("commentary", ""), str) or body.get("visibility") not in (
            "PUBLIC",
            "CONNECTIONS",
            "LOGGED_IN",
        ):
            return unprocessable("/visibility :: not a valid value")
        distribution = body["distribution"]
        if not isinstance(distribution, dict) or distribution.get("feedDistribution") not in ("MAIN_FEED", "NONE"):
            return unprocessable("/distribution/feedDistribution :: field is required")
        if body["lifecycleState"] != "PUBLISHED":
            return unprocessable("/lifecycleState :: only PUBLISHED is supported")
        if not member.may_act_as(str(body["author"])):
            return forbidden("partnerApiPostsExternal.CREATE")
        return self._content_problem(body.get("content"), str(body["author"]))

    def _content_problem(self, content: Any, author: str) -> Response | None:
        if content is None:
            return None
        if not isinstance(content, dict) or len(content) != 1:
            return unprocessable("/content :: exactly one content type is allowed")
        if "media" in content:
            return self._media_problem(content["media"], author, "/content/media", ("image", "video"))
        if "multiImage" in content:
            images = (content["multiImage"] or {}).get("images")
            if not isinstance(images, list) or not 2 <= len(images) <= 20:
                return unprocessable("/content/multiImage/images :: between 2 and 20 images are required")
            for index, image in enumerate(images):
                problem = self._media_problem(image, author, f"/content/multiImage/images/{index}", ("image",))
                if problem is not None:
                    return problem
            return None
        return unprocessable(f"/content/{next(iter(content))} :: not supported by the fake")

    async def _delete_post(self, request: Request, member: Member) -> Response:
        urn = unquote(request.param("_urn") or "")
        post = self.posts.get(urn)
        if post is None:
            return failure(404, f"Post {urn} not found", code="NOT_FOUND")
        if not member.may_act_as(post.author):
            return forbidden("partnerApiPostsExternal.DELETE")
        post.deleted = True  # LinkedIn answers 204 again for a post already deleted
        return Response(204, b"")

    async def _comment(self, request: Request, member: Member) -> Response:
        target = unquote(request.param("_urn") or "")
        body = request.json_object() or {}
        actor, message = body.get("actor"), (body.get("message") or {}).get("text")
        if body.get("object") != target:
            return unprocessable("/object :: must be the entity of the path")
        post = self.posts.get(target)
        if post is None or post.deleted:
            return failure(404, f"Entity {target} not found", code="NOT_FOUND")
        if not isinstance(actor, str) or not isinstance(message, str) or not message:
            return unprocessable("/actor, /message/text :: fields are required")
        if not member.may_act_as(actor):
            return forbidden("comments.CREATE")
        comment_id = str(next(self._ids))
        urn = f"urn:li:comment:({target},{comment_id})"
        self.comments[urn] = {"urn": urn, "actor": actor, "object": target, "text": message, "deleted": False}
        self.record(Created(urn, actor, message, None, target, request.received_at))
        return Response(
            201,
            {"id": comment_id, "$URN": urn, "actor": actor, "object": target, "message": {"text": message}},
            {"x-restli-id": urn},
        )

    async def _delete_comment(self, request: Request, member: Member) -> Response:
        target = unquote(request.param("_urn") or "")
        urn = f"urn:li:comment:({target},{unquote(request.param('_comment') or '')})"
        comment = self.comments.get(urn)
        actor = request.param("actor")
        if comment is None:
            return failure(404, f"Comment {urn} not found", code="NOT_FOUND")
        if actor is None or actor != comment["actor"] or not member.may_act_as(actor):
            return forbidden("comments.DELETE")
        comment["deleted"] = True
        return Response(204, b"")
