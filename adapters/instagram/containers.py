"""Instagram's container calls (``POST /{ig-user-id}/media``: an image by ``image_url`` with ``alt_text``, a video
as ``REELS`` by ``video_url``, a ``CAROUSEL`` of ``children`` made first with ``is_carousel_item``), their
``status_code`` (``GET /{container}?fields=status_code,status``), ``POST /{ig-user-id}/media_publish``, the
``content_publishing_limit`` and the lookup of a post whose publish answer was lost, for
adapters/meta/containers.advance."""

from __future__ import annotations

from adapters.base import MediaItem, MediaRejected, PublishedRef, PublishRequest
from adapters.meta import containers
from adapters.meta.containers import Status
from adapters.meta.graph import GraphApi

_NAME = "Instagram"


def item_fields(item: MediaItem, number: int, *, in_carousel: bool) -> dict[str, str]:
    url = containers.public_url(_NAME, item, number)
    if item.kind == "video":
        # A video alone is a reel; in a carousel, a VIDEO item.
        return {"media_type": "VIDEO" if in_carousel else "REELS", "video_url": url}
    fields = {"image_url": url}
    if item.alt_text:
        fields["alt_text"] = item.alt_text
    return fields


class InstagramContainers:
    name = _NAME

    def __init__(self, api: GraphApi, user_id: str) -> None:
        self.api = api
        self.user_id = user_id

    async def check_quota(self, request: PublishRequest) -> None:
        answer = await self.api.edge_get(
            self.user_id, "content_publishing_limit", action="publishing limit check", fields="quota_usage,config"
        )
        containers.check_quota(self.name, answer, "quota_usage", "config", "posts")

    async def create_items(self, request: PublishRequest) -> tuple[str, ...]:
        media = request.segment.media
        if len(media) < 2:
            return ()
        items = []
        for number, item in enumerate(media, start=1):
            fields = {**item_fields(item, number, in_carousel=True), "is_carousel_item": "true"}
            action = f"carousel item {number}"
            items.append(await self.api.edge_post(self.user_id, "media", action=action, creates=False, **fields))
        return tuple(items)

    async def create_container(self, request: PublishRequest, children: tuple[str, ...]) -> str:
        if children:
            fields = {"media_type": "CAROUSEL", "children": ",".join(children)}
        else:
            fields = item_fields(request.segment.media[0], 1, in_carousel=False)
        if request.segment.text:
            fields["caption"] = request.segment.text
        return await self.api.edge_post(self.user_id, "media", action="container", creates=False, **fields)

    async def status(self, container: str) -> Status:
        answer = await self.api.node(container, fields="status_code,status", action="container status")
        detail = answer.get("status")
        return Status(
            str(answer.get("status_code") or containers.IN_PROGRESS), detail if isinstance(detail, str) else ""
        )

    async def publish_container(self, container: str) -> PublishedRef:
        media_id = await self.api.edge_post(
            self.user_id, "media_publish", action="publish", creates=True, creation_id=container
        )
        return await containers.permalink_ref(self.api, media_id)

    async def find_published(self, request: PublishRequest, since: int) -> PublishedRef | None:
        answer = await self.api.edge_get(
            self.user_id,
            "media",
            action="lookup of a published post",
            fields="id,caption,permalink,timestamp",
            since=str(since),
        )
        return containers.found_by_text(answer, "caption", request.segment.text)

    def failed(self, request: PublishRequest, detail: str) -> Exception:
        return MediaRejected(f"Instagram could not process the media ({detail or 'no reason given'})")

    def check_after(self, request: PublishRequest) -> float:
        """Meta advises letting a container process before publishing it (videos take longest)."""
        return 30.0 if any(item.kind == "video" for item in request.segment.media) else 10.0
