"""``FakeInstagram``: Instagram's Content Publishing routes over the shared Graph fake (tests/fakes/meta/)."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.core import Created, Route
from tests.fakes.http import Request, Response
from tests.fakes.instagram import rules
from tests.fakes.meta.base import FakeGraph
from tests.fakes.meta.containers import FINISHED, Container
from tests.fakes.meta.graph import fields_of, graph_error, invalid_parameter, new_id, unknown_fields
from tests.fakes.meta.media import fetch

USER_ID = "17841400000000777"
USERNAME = "octopost.gram"


class FakeInstagram(FakeGraph):
    token_prefix = "IG"
    refresh_grant = "ig_refresh_token"
    exchange_grant = "ig_exchange_token"
    # Posting, and commenting for a thread's later segments.
    exchange_scopes = frozenset(
        {"instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments"}
    )
    permalink_base = "https://www.instagram.com/p/"
    user_id = USER_ID
    username = USERNAME
    default_quota = {"posts": 100, "replies": 0}
    write_paths = ("/{user}/media", "/{user}/media_publish", "/{media}/comments")

    def on_reset(self) -> None:
        super().on_reset()
        self.comments: dict[str, dict[str, Any]] = {}

    def control(self, request: Request) -> Response:
        if (request.method, request.path) == ("GET", "/_fake/comments"):
            return Response(200, list(self.comments.values()))
        return super().control(request)

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("GET", "/{node}"): self.authed(self._node),
            ("POST", "/{user}/media"): self.authed(self._create),
            ("GET", "/{user}/media"): self.authed(self.list_route("caption", replies=False)),
            ("POST", "/{user}/media_publish"): self.authed(self.publish_route("caption")),
            ("GET", "/{user}/content_publishing_limit"): self.authed(self._limit),
            ("POST", "/{media}/comments"): self.authed(self._comment),
        }

    async def _node(self, request: Request) -> Response:
        node = request.param("_node") or ""
        wanted = set((request.param("fields") or "id").split(",")) | {"id"}
        if node == "me":
            profile = {"id": "27000000000000001", "user_id": USER_ID, "username": USERNAME, "name": "Octopost Gram"}
            return Response(200, {k: v for k, v in profile.items() if k in wanted})
        container = self.containers.by_id.get(node)
        if container is not None:
            answer: dict[str, Any] = {"id": node}
            if "status_code" in wanted:
                answer["status_code"] = container.poll()
            if "status" in wanted:
                answer["status"] = container.error_message or container.status.capitalize()
            return Response(200, answer)
        post = self.published.get(node)
        if post is None:
            return graph_error(f"Object with ID '{node}' does not exist", code=100, subcode=33)
        known = {"id": post.id, "permalink": post.permalink, "caption": post.text, "media_type": post.media_type}
        return Response(200, {k: v for k, v in known.items() if k in wanted})

    async def _limit(self, request: Request) -> Response:
        entry = {
            "quota_usage": self.used(replies=False),
            "config": {"quota_total": self.quota["posts"], "quota_duration": 86400},
        }
        wanted = set((request.param("fields") or "quota_usage").split(","))
        return Response(200, {"data": [{k: v for k, v in entry.items() if k in wanted}]})

    async def _create(self, request: Request) -> Response:
        fields = fields_of(request)
        refusal = unknown_fields(fields, rules.CONTAINER_FIELDS) or self._check(fields)
        if refusal is not None:
            return refusal
        kind = fields.get("media_type", "IMAGE")
        container = Container(
            new_id(),
            USER_ID,
            kind,
            fields,
            self.containers.polls,
            is_carousel_item=fields.get("is_carousel_item") == "true",
            children=fields["children"].split(",") if kind == "CAROUSEL" else [],
        )
        if "image_url" in fields:
            fetched = await fetch(fields["image_url"], rules.IMAGE_TYPES)
            if not fetched.ok and not fetched.content_type:
                return graph_error(
                    f"Media download has failed. The media URI doesn't meet our requirements. ({fetched.problem})",
                    code=9004,
                    subcode=2207052,
                )
            if not fetched.ok:
                return graph_error("The image format is not supported.", code=36001, subcode=2207005)
        if "video_url" in fields and not (await fetch(fields["video_url"], rules.VIDEO_TYPES)).ok:
            container.fails_with = "Error: Media download has failed (2207052)"
        self.containers.add(container)
        return Response(200, {"id": container.id})

    def _check(self, fields: dict[str, str]) -> Response | None:
        kind = fields.get("media_type", "IMAGE")
        if kind not in rules.MEDIA_TYPES:
            return invalid_parameter(f"Param media_type must be one of {sorted(rules.MEDIA_TYPES)}")
        caption = fields.get("caption", "")
        if len(caption) > rules.MAX_CAPTION:
            return graph_error("The caption is too long", code=100, subcode=2207010)
        if rules.hashtags(caption) > rules.MAX_HASHTAGS:
            return graph_error("The caption has more than 30 hashtags", code=100, subcode=2207010)
        item = fields.get("is_carousel_item") == "true"
        if kind == "IMAGE" and "image_url" not in fields:
            return invalid_parameter("Param image_url is required")
        if kind in ("REELS", "VIDEO") and "video_url" not in fields:
            return invalid_parameter("Param video_url is required")
        if kind == "VIDEO" and not item:
            return invalid_parameter("media_type VIDEO is only for carousel items; a video alone is REELS")
        if "alt_text" in fields and "image_url" not in fields:
            return invalid_parameter("Param alt_text is only for images")
        if kind == "CAROUSEL":
            children = fields.get("children", "").split(",")
            if not rules.MIN_ITEMS <= len(children) <= rules.MAX_ITEMS:
                return invalid_parameter(f"A carousel takes {rules.MIN_ITEMS} to {rules.MAX_ITEMS} children")
            for child in children:
                found = self.containers.by_id.get(child)
                if found is None or not found.is_carousel_item:
                    return invalid_parameter(f"Param children: {child} is not a carousel item container")
                if found.status != FINISHED:
                    return graph_error(f"The carousel item {child} is not ready", code=9007, subcode=2207027)
        return None

    async def _comment(self, request: Request) -> Response:
        fields = fields_of(request)
        refusal = unknown_fields(fields, frozenset({"message"}))
        if refusal is not None:
            return refusal
        media = request.param("_media") or ""
        if media not in self.published:
            return graph_error(f"Object with ID '{media}' does not exist", code=100, subcode=33)
        message = fields.get("message", "")
        if not message.strip():
            return invalid_parameter("Param message is required")
        comment_id = new_id()
        self.comments[comment_id] = {"id": comment_id, "media": media, "message": message}
        self.record(Created(comment_id, USER_ID, message, None, media, time.time()))
        return Response(200, {"id": comment_id})
