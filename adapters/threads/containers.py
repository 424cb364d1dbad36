"""Threads' container calls (``POST /{user}/threads``, ``GET /{container}?fields=status,error_message``,
``POST /{user}/threads_publish``), the publishing quota (``threads_publishing_limit``: 250 posts and 1,000 replies
a rolling day) and the lookup of a post whose publish answer was lost, for adapters/meta/containers.advance."""

from __future__ import annotations

from adapters.base import MediaItem, MediaRejected, PublishedRef, PublishRequest, Rejected, ReplyPolicy
from adapters.meta import containers
from adapters.meta.containers import Status
from adapters.meta.graph import GraphApi

# Our reply policies and Threads' reply_control values; the others have no Threads equivalent (refused by
# validation through PlatformInfo.reply_policies).
REPLY_CONTROL = {
    ReplyPolicy.EVERYONE: "everyone",
    ReplyPolicy.FOLLOWING: "accounts_you_follow",
    ReplyPolicy.MENTIONED: "mentioned_only",
}
_CHECK_AFTER = {"TEXT": 3.0, "IMAGE": 10.0, "CAROUSEL": 10.0, "VIDEO": 30.0}
_FOUND_FIELDS = "id,permalink,text,timestamp"


def media_fields(item: MediaItem, number: int) -> dict[str, str]:
    key = "image_url" if item.kind == "image" else "video_url"
    fields = {"media_type": item.kind.upper(), key: containers.public_url("Threads", item, number)}
    if item.alt_text:
        fields["alt_text"] = item.alt_text
    return fields


def media_type(request: PublishRequest) -> str:
    media = request.segment.media
    if len(media) > 1:
        return "CAROUSEL"
    return media[0].kind.upper() if media else "TEXT"


class ThreadsContainers:
    name = "Threads"

    def __init__(self, api: GraphApi, user_id: str) -> None:
        self.api = api
        self.user_id = user_id

    async def check_quota(self, request: PublishRequest) -> None:
        answer = await self.api.edge_get(
            self.user_id,
            "threads_publishing_limit",
            action="publishing limit check",
            fields="quota_usage,config,reply_quota_usage,reply_config",
        )
        if request.is_main:
            containers.check_quota(self.name, answer, "quota_usage", "config", "posts")
        else:
            containers.check_quota(self.name, answer, "reply_quota_usage", "reply_config", "replies")

    async def create_items(self, request: PublishRequest) -> tuple[str, ...]:
        media = request.segment.media
        if len(media) < 2:
            return ()
        items = []
        for number, item in enumerate(media, start=1):
            fields = {**media_fields(item, number), "is_carousel_item": "true"}
            items.append(
                await self.api.edge_post(
                    self.user_id, "threads", action=f"carousel item {number}", creates=False, **fields
                )
            )
        return tuple(items)

    async def create_container(self, request: PublishRequest, children: tuple[str, ...]) -> str:
        kind = media_type(request)
        fields: dict[str, str] = {"media_type": kind}
        if kind == "CAROUSEL":
            fields["children"] = ",".join(children)
        elif kind != "TEXT":
            fields.update(media_fields(request.segment.media[0], 1))
        if request.segment.text:
            fields["text"] = request.segment.text
        if request.parent is not None:
            fields["reply_to_id"] = request.parent.id
        if request.is_main and request.reply_policy is not None:
            control = REPLY_CONTROL.get(request.reply_policy)
            if control is None:
                raise Rejected(f"Threads: no reply control matches the reply policy {request.reply_policy.value!r}")
            fields["reply_control"] = control
        return await self.api.edge_post(self.user_id, "threads", action="container", creates=False, **fields)

    async def status(self, container: str) -> Status:
        answer = await self.api.node(container, fields="status,error_message", action="container status")
        code = answer.get("status")
        detail = answer.get("error_message")
        return Status(str(code or containers.IN_PROGRESS), detail if isinstance(detail, str) else "")

    async def publish_container(self, container: str) -> PublishedRef:
        media_id = await self.api.edge_post(
            self.user_id, "threads_publish", action="publish", creates=True, creation_id=container
        )
        return await containers.permalink_ref(self.api, media_id)

    async def find_published(self, request: PublishRequest, since: int) -> PublishedRef | None:
        """The account's posts (or replies) since the container was made, matched by their text."""
        edge = "threads" if request.is_main else "replies"
        answer = await self.api.edge_get(
            self.user_id, edge, action="lookup of a published post", fields=_FOUND_FIELDS, since=str(since)
        )
        return containers.found_by_text(answer, "text", request.segment.text)

    def failed(self, request: PublishRequest, detail: str) -> Exception:
        reason = detail or "no reason given"
        if request.segment.media:
            return MediaRejected(f"Threads could not process the media ({reason})")
        return Rejected(f"Threads could not create the post ({reason})")

    def check_after(self, request: PublishRequest) -> float:
        """Meta advises letting a container process before publishing it (videos take longest)."""
        if any(item.kind == "video" for item in request.segment.media):
            return _CHECK_AFTER["VIDEO"]
        return _CHECK_AFTER[media_type(request)]
