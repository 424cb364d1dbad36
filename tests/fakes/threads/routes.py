"""``FakeThreads``: the Threads API routes over the shared Graph fake (tests/fakes/meta/)."""

from __future__ import annotations

from typing import Any

from tests.fakes.core import Route
from tests.fakes.http import Request, Response
from tests.fakes.meta.base import FakeGraph
from tests.fakes.meta.containers import FINISHED, Container
from tests.fakes.meta.graph import (
    fields_of,
    graph_error,
    invalid_parameter,
    new_id,
    unknown_fields,
)
from tests.fakes.meta.media import fetch
from tests.fakes.threads import rules

USER_ID = "17841400000000001"
USERNAME = "octopost.fake"
_TYPES = ("TEXT", "IMAGE", "VIDEO", "CAROUSEL")


class FakeThreads(FakeGraph):
    token_prefix = "TH"
    refresh_grant = "th_refresh_token"
    exchange_grant = "th_exchange_token"
    exchange_scopes = frozenset({"threads_basic", "threads_content_publish"})
    permalink_base = f"https://www.threads.net/@{USERNAME}/post/"
    user_id = USER_ID
    username = USERNAME
    default_quota = {"posts": 250, "replies": 1000}
    write_paths = ("/{user}/threads", "/{user}/threads_publish")

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("GET", "/{node}"): self.authed(self._node),
            ("DELETE", "/{node}"): self.authed(self._delete),
            ("POST", "/{user}/threads"): self.authed(self._create),
            ("GET", "/{user}/threads"): self.authed(self.list_route("text", replies=False)),
            ("GET", "/{user}/replies"): self.authed(self.list_route("text", replies=True)),
            ("POST", "/{user}/threads_publish"): self.authed(self.publish_route("text")),
            ("GET", "/{user}/threads_publishing_limit"): self.authed(self._limit),
        }

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

    async def _delete(self, request: Request) -> Response:
        post = self.published.get(request.param("_node") or "")
        if post is None or post.deleted:
            return graph_error(
                "Object does not exist, cannot be loaded due to missing permissions", code=100, subcode=33
            )
        post.deleted = True
        return Response(200, {"success": True, "deleted_id": post.id})
