"""``FakeGraph``: what the Threads and Instagram fakes share beyond their routes: one user per token prefix, the
containers (containers.py), the published objects (every one recorded: exactly-once assertions), the rolling-day
publishing quota, and the control plane:

- ``PUT /_fake/processing {"polls": n}``: status reads before a container is FINISHED (default 2);
- ``POST /_fake/finish``: every container still processing is FINISHED at its next status read;
- ``POST /_fake/expire {"container": id}``: that container (none: every unpublished one) is EXPIRED;
- ``PUT /_fake/quota {"posts": n, "replies": n}``: the quota totals (the platform's by default);
- ``PUT /_fake/token_lifetime {"expires_in": s}``: what the next long-lived token exchanges answer (60 days by
  default; a short one makes an account due for renewal);
- ``PUT /_fake/next_error {"path", "code", "subcode", "status", "message", "is_transient", "headers"}``: the next
  request to that (templated) path answers that Graph error, doing nothing;
- ``GET /_fake/containers``, ``GET /_fake/published``: what was made and what was published.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response
from tests.fakes.meta.containers import EXPIRED, FINISHED, PUBLISHED, Containers
from tests.fakes.meta.exchange import exchange
from tests.fakes.meta.graph import (
    LONG_LIVED_SECONDS,
    fields_of,
    graph_error,
    invalid_parameter,
    new_id,
    token_of,
    token_refusal,
    unknown_fields,
)

Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class Published:
    id: str
    owner: str
    container: str
    media_type: str
    text: str
    reply_to: str | None
    permalink: str
    children: list[str]
    published_at: float
    deleted: bool = False


class FakeGraph(FakePlatform):
    token_prefix: ClassVar[str]
    refresh_grant: ClassVar[str]  # grant_type of GET /refresh_access_token
    exchange_grant: ClassVar[str]  # grant_type of GET /access_token (short-lived → long-lived)
    exchange_scopes: ClassVar[frozenset[str]]  # what the short-lived token must carry for the calls Octopost makes
    permalink_base: ClassVar[str]
    user_id: ClassVar[str]
    username: ClassVar[str]
    default_quota: ClassVar[dict[str, int]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_reset()

    def on_reset(self) -> None:
        self.containers = Containers()
        self.published: dict[str, Published] = {}
        self.quota = dict(self.default_quota)
        self.next_errors: list[dict[str, Any]] = []
        self.expires_in = LONG_LIVED_SECONDS  # of the long-lived tokens the exchange answers

    def control(self, request: Request) -> Response:
        body = request.json_object() or {}
        route = (request.method, request.path)
        if route == ("PUT", "/_fake/processing"):
            self.containers.polls = int(body.get("polls", 2))
            return Response(200, {"polls": self.containers.polls})
        if route == ("POST", "/_fake/finish"):
            return Response(200, {"finished": self.containers.finish()})
        if route == ("POST", "/_fake/expire"):
            return Response(200, {"expired": self.containers.expire(body.get("container"))})
        if route == ("PUT", "/_fake/quota"):
            self.quota.update({k: int(v) for k, v in body.items() if k in self.default_quota})
            return Response(200, self.quota)
        if route == ("PUT", "/_fake/token_lifetime"):
            return self.set_switch(request, "expires_in", minimum=1)
        if route == ("PUT", "/_fake/next_error"):
            self.next_errors.append(body)
            return Response(200, body)
        if route == ("GET", "/_fake/containers"):
            return Response(200, [c.as_json() for c in self.containers.by_id.values()])
        if route == ("GET", "/_fake/published"):
            return Response(200, [asdict(p) for p in self.published.values()])
        return super().control(request)

    def resolve_user(self, node: str) -> str | None:
        """The token's user for ``me`` or its own id; None for anyone else (the token cannot act for them)."""
        return self.user_id if node in ("me", self.user_id) else None

    def used(self, *, replies: bool) -> int:
        since = time.time() - 86_400
        return sum(
            1
            for p in self.published.values()
            if p.published_at >= since and (p.reply_to is not None) == replies and p.owner == self.user_id
        )

    def publish(self, item: Published) -> None:
        self.published[item.id] = item
        self.record(Created(item.id, item.owner, item.text, None, item.reply_to, time.time()))

    # ---- what both platforms' routes do alike ---------------------------------------------------------------

    def authed(self, handler: Handler) -> Route:
        """``handler`` behind the token check and the user check (``{user}``: ``me`` or the token's user);
        ``GET /refresh_access_token`` and ``GET /access_token`` (routed as ``/{node}``) take their token in the
        query instead."""

        async def route(request: Request) -> Response:
            if request.param("_node") == "refresh_access_token":
                return self.refresh(request)
            if request.param("_node") == "access_token" and request.method == "GET":
                return self.exchange(request)
            refusal = token_refusal(token_of(request), self.token_prefix)
            if refusal is not None:
                return refusal
            planned = next((e for e in self.next_errors if e.get("path") == request.path), None)
            if planned is not None:
                self.next_errors.remove(planned)
                return self._planned(planned)
            user = request.param("_user")
            if user is not None and self.resolve_user(user) is None:
                return graph_error(f"Object with ID '{user}' cannot be accessed", code=100, subcode=33)
            return await handler(request)

        return route

    @staticmethod
    def _planned(planned: dict[str, Any]) -> Response:
        answer = graph_error(
            planned.get("message", "planned by the test"),
            code=int(planned["code"]),
            subcode=planned.get("subcode"),
            status=int(planned.get("status", 400)),
        )
        if planned.get("is_transient"):
            answer.body["error"]["is_transient"] = True
        answer.headers.update(planned.get("headers") or {})
        return answer

    def refresh(self, request: Request) -> Response:
        """Only a live long-lived token in the query string, with the platform's grant_type."""
        if request.param("grant_type") != self.refresh_grant:
            return invalid_parameter(f"Param grant_type must be {self.refresh_grant}")
        refusal = token_refusal(request.param("access_token"), self.token_prefix)
        if refusal is not None:
            return refusal
        self.stats["refreshes"] += 1
        token = f"{self.token_prefix}-refreshed-{new_id()}"
        return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS})

    def exchange(self, request: Request) -> Response:
        """``GET /access_token``: a short-lived token of the OAuth peer traded for a long-lived one (exchange.py)."""
        return exchange(self, request)

    def publish_route(self, text_field: str) -> Handler:
        """``POST /{user}/<publish edge>`` with ``creation_id``: a FINISHED container of the user, published once,
        within the quota (9/2207042 past it)."""

        async def publish(request: Request) -> Response:
            fields = fields_of(request)
            refusal = unknown_fields(fields, frozenset({"creation_id"}))
            if refusal is not None:
                return refusal
            container = self.containers.by_id.get(fields.get("creation_id", ""))
            if container is None or container.is_carousel_item:
                return invalid_parameter("Param creation_id must be a media container of this user")
            if container.status == PUBLISHED:
                return graph_error("The media container has already been published", code=100, subcode=2207008)
            if container.status == EXPIRED:
                return graph_error("The media you are trying to access has expired", code=-2, subcode=2207020)
            if container.status != FINISHED:
                return graph_error(
                    f"The media is not ready to be published ({container.status})", code=9007, subcode=2207027
                )
            replies = "reply_to_id" in container.fields
            if self.used(replies=replies) >= self.quota["replies" if replies else "posts"]:
                return graph_error(
                    "You reached maximum number of posts that is allowed to be published", code=9, subcode=2207042
                )
            media_id = new_id()
            container.status, container.published_id = PUBLISHED, media_id
            text = container.fields.get(text_field, "")
            permalink = f"{self.permalink_base}{media_id[-11:]}/"
            self.publish(
                Published(
                    media_id,
                    self.user_id,
                    container.id,
                    container.media_type,
                    text,
                    container.fields.get("reply_to_id"),
                    permalink,
                    container.children,
                    time.time(),
                )
            )
            return Response(200, {"id": media_id})

        return publish

    def list_route(self, text_field: str, *, replies: bool) -> Handler:
        """The account's published posts (or replies) since ``since``, newest first, with the fields asked."""

        async def listing(request: Request) -> Response:
            since = float(request.param("since") or 0)
            wanted = set((request.param("fields") or "id").split(",")) | {"id"}
            posts = [
                p
                for p in self.published.values()
                if (p.reply_to is not None) == replies and p.published_at >= since and not p.deleted
            ]
            data = []
            for post in reversed(posts):
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(post.published_at))
                known = {"id": post.id, "permalink": post.permalink, text_field: post.text, "timestamp": stamp}
                data.append({k: v for k, v in known.items() if k in wanted})
            return Response(200, {"data": data, "paging": {}})

        return listing
