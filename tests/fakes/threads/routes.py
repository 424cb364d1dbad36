"""``FakeThreads``: the Threads API routes over the shared Graph fake (tests/fakes/meta/)."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.core import Route
from tests.fakes.http import Request, Response
from tests.fakes.meta.base import FakeGraph, Published
from tests.fakes.meta.containers import EXPIRED, FINISHED, PUBLISHED, Container
from tests.fakes.meta.graph import (
    fields_of,
    graph_error,
    invalid_parameter,
    new_id,
    token_of,
    token_refusal,
    unknown_fields,
)
from tests.fakes.meta.media import fetch
from tests.fakes.threads import rules

USER_ID = "17841400000000001"
USERNAME = "octopost.fake"
_TYPES = ("TEXT", "IMAGE", "VIDEO", "CAROUSEL")


class FakeThreads(FakeGraph):
    token_prefix = "TH"
    user_id = USER_ID
    username = USERNAME
    default_quota = {"posts": 250, "replies": 1000}
    write_paths = ("/{user}/threads", "/{user}/threads_publish")

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("GET", "/{node}"): self._authed(self._node),
            ("DELETE", "/{node}"): self._authed(self._delete),
            ("POST", "/{user}/threads"): self._authed(self._create),
            ("GET", "/{user}/threads"): self._authed(self._list),
            ("GET", "/{user}/replies"): self._authed(self._list),
            ("POST", "/{user}/threads_publish"): self._authed(self._publish),
            ("GET", "/{user}/threads_publishing_limit"): self._authed(self._limit),
        }

    def _authed(self, handler: Any) -> Route:
        async def route(request: Request) -> Response:
            if request.param("_node") == "refresh_access_token":
                return self._refresh(request)
            refusal = token_refusal(token_of(request), self.token_prefix)
            if refusal is not None:
                return refusal
            user = request.param("_user")
            if user is not None and self.resolve_user(user) is None:
                return graph_error(
                    f"Unsupported request: object with ID '{user}' cannot be accessed", code=100, subcode=33
                )
            return await handler(request)  # type: ignore[no-any-return]

        return route

    # ---- reads ----------------------------------------------------------------------------------------------

    async def _node(self, request: Request) -> Response:
        node = request.param("_node") or ""
        fields = set((request.param("fields") or "id").split(","))
        if node == "me":
            profile = {"id": USER_ID, "username": USERNAME, "name": "Octopost Fake", "threads_profile_picture_url": ""}
            return Response(200, {k: v for k, v in profile.items() if k in fields | {"id"}})
        if node in self.containers.by_id:
            container = self.containers.by_id[node]
            answer: dict[str, Any] = {"id": node}
            if "status" in fields:
                answer["status"] = container.poll()
            if "error_message" in fields and container.error_message:
                answer["error_message"] = container.error_message
            return Response(200, answer)
        post = self.published.get(node)
        if post is None or post.deleted:
            return graph_error(f"Unsupported get request. Object with ID '{node}' does not exist", code=100, subcode=33)
        known = {"id": post.id, "permalink": post.permalink, "text": post.text, "media_type": post.media_type}
        return Response(200, {k: v for k, v in known.items() if k in fields | {"id"}})

    async def _list(self, request: Request) -> Response:
        replies = request.path.endswith("/replies")
        since = float(request.param("since") or 0)
        fields = set((request.param("fields") or "id").split(","))
        posts = [
            p
            for p in self.published.values()
            if (p.reply_to is not None) == replies and p.published_at >= since and not p.deleted
        ]
        data = [
            {
                k: v
                for k, v in {
                    "id": p.id,
                    "permalink": p.permalink,
                    "text": p.text,
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(p.published_at)),
                }.items()
                if k in fields | {"id"}
            }
            for p in reversed(posts)  # newest first, as Threads lists them
        ]
        return Response(200, {"data": data, "paging": {}})

    async def _limit(self, request: Request) -> Response:
        day = {"quota_duration": 86400}
        entry = {
            "quota_usage": self.used(replies=False),
            "config": {"quota_total": self.quota["posts"], **day},
            "reply_quota_usage": self.used(replies=True),
            "reply_config": {"quota_total": self.quota["replies"], **day},
        }
        wanted = set((request.param("fields") or "quota_usage").split(","))
        return Response(200, {"data": [{k: v for k, v in entry.items() if k in wanted}]})

    # ---- writes -----------------------------------------------------------------------------------------------

    async def _create(self, request: Request) -> Response:
        fields = fields_of(request)
        refusal = unknown_fields(fields, rules.CONTAINER_FIELDS) or self._check_container(fields)
        if refusal is not None:
            return refusal
        kind = fields["media_type"]
        container = Container(
            new_id(),
            USER_ID,
            kind,
            fields,
            self.containers.polls,
            is_carousel_item=fields.get("is_carousel_item") == "true",
            children=fields["children"].split(",") if kind == "CAROUSEL" else [],
        )
        if kind in ("IMAGE", "VIDEO"):
            url = fields["image_url" if kind == "IMAGE" else "video_url"]
            fetched = await fetch(url, rules.IMAGE_TYPES if kind == "IMAGE" else rules.VIDEO_TYPES)
            if not fetched.ok and kind == "IMAGE":
                return graph_error(
                    f"Media download has failed. The media URI doesn't meet our requirements. ({fetched.problem})",
                    code=9004,
                    subcode=2207052,
                )
            if not fetched.ok:
                container.fails_with = "FAILED_DOWNLOADING_VIDEO"
        self.containers.add(container)
        return Response(200, {"id": container.id})

    def _check_container(self, fields: dict[str, str]) -> Response | None:
        kind = fields.get("media_type")
        if kind not in _TYPES:
            return invalid_parameter(f"Param media_type must be one of {{{', '.join(_TYPES)}}}")
        text = fields.get("text", "")
        if kind == "TEXT" and not text.strip():
            return invalid_parameter("Param text is required for media_type TEXT")
        if rules.length(text) > rules.MAX_TEXT:
            return invalid_parameter(f"Param text must be at most {rules.MAX_TEXT} characters long")
        if rules.links(text) > rules.MAX_LINKS:
            return graph_error("THREADS_API__LINK_LIMIT_EXCEEDED: a post may contain at most 5 links", code=100)
        for needed, when in (("image_url", "IMAGE"), ("video_url", "VIDEO"), ("children", "CAROUSEL")):
            if kind == when and not fields.get(needed):
                return invalid_parameter(f"Param {needed} is required for media_type {when}")
        if fields.get("is_carousel_item") == "true" and kind not in ("IMAGE", "VIDEO"):
            return invalid_parameter("Only IMAGE and VIDEO can be carousel items")
        if kind == "CAROUSEL":
            refusal = self._check_children(fields["children"].split(","))
            if refusal is not None:
                return refusal
        control = fields.get("reply_control")
        if control is not None and control not in rules.REPLY_CONTROLS:
            return invalid_parameter(f"Param reply_control must be one of {sorted(rules.REPLY_CONTROLS)}")
        reply_to = fields.get("reply_to_id")
        if reply_to is not None and (reply_to not in self.published or self.published[reply_to].deleted):
            return invalid_parameter(f"Param reply_to_id {reply_to} is not a published Threads post")
        return None

    def _check_children(self, children: list[str]) -> Response | None:
        if not rules.MIN_ITEMS <= len(children) <= rules.MAX_ITEMS:
            return invalid_parameter(f"A carousel takes {rules.MIN_ITEMS} to {rules.MAX_ITEMS} children")
        for child in children:
            item = self.containers.by_id.get(child)
            if item is None or not item.is_carousel_item or item.owner != USER_ID:
                return invalid_parameter(f"Param children: {child} is not a carousel item container")
            if item.status != FINISHED:
                return graph_error(f"The carousel item {child} is not ready ({item.status})", code=24, subcode=4279009)
        return None

    async def _publish(self, request: Request) -> Response:
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
            return graph_error("The media you are trying to access has expired", code=100, subcode=2207020)
        if container.status != FINISHED:
            return graph_error(f"The media is not ready to be published ({container.status})", code=24, subcode=4279009)
        replies = "reply_to_id" in container.fields
        if self.used(replies=replies) >= self.quota["replies" if replies else "posts"]:
            return graph_error(
                "You reached maximum number of posts that is allowed to be published", code=9, subcode=2207042
            )
        media_id = new_id()
        container.status, container.published_id = PUBLISHED, media_id
        self.publish(
            Published(
                id=media_id,
                owner=USER_ID,
                container=container.id,
                media_type=container.media_type,
                text=container.fields.get("text", ""),
                reply_to=container.fields.get("reply_to_id"),
                permalink=f"https://www.threads.net/@{USERNAME}/post/{media_id[-11:]}",
                children=container.children,
                published_at=time.time(),
            )
        )
        return Response(200, {"id": media_id})

    async def _delete(self, request: Request) -> Response:
        post = self.published.get(request.param("_node") or "")
        if post is None or post.deleted:
            return graph_error(
                "Object does not exist, cannot be loaded due to missing permissions", code=100, subcode=33
            )
        post.deleted = True
        return Response(200, {"success": True, "deleted_id": post.id})

    def _refresh(self, request: Request) -> Response:
        """Only a live long-lived token in the query string, with grant_type th_refresh_token."""
        if request.param("grant_type") != "th_refresh_token":
            return invalid_parameter("Param grant_type must be th_refresh_token")
        token = request.param("access_token")
        refusal = token_refusal(token, self.token_prefix)
        if refusal is not None:
            return refusal
        self.stats["refreshes"] += 1
        return Response(
            200, {"access_token": f"TH-refreshed-{new_id()}", "token_type": "bearer", "expires_in": 5_184_000}
        )
