"""The container → publish steps both Meta platforms share, one step per ``publish`` call (never a wait inside
one): create the container (carousel items first), answer Pending; on each later call read its status and either
answer Pending again, create it anew when it expired, refuse it when it failed, publish it when FINISHED, or, when it
is already PUBLISHED (a publish whose answer was lost), find the post it became instead of publishing again.

The handle (``Handle``, JSON) holds the container ids and when the first was made: everything a call after a crash
needs. A platform supplies the calls that differ (``ContainerPlatform``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.base import MediaItem, MediaRejected, OutcomeUnknown, Pending, PublishedRef, PublishRequest, RateLimited
from adapters.meta.graph import GraphApi

IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED = "IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"
QUOTA_RETRY_AFTER = 3600.0  # Meta's quotas are rolling 24-hour windows and say nothing of when a slot frees up


@dataclass(frozen=True)
class Handle:
    container: str | None  # None while carousel items are still processing
    children: tuple[str, ...] = ()
    since: int = 0  # Unix seconds the first container was made: a lost publish is looked for from then

    def encode(self) -> str:
        return json.dumps({"container": self.container, "children": list(self.children), "since": self.since})

    @classmethod
    def decode(cls, text: str) -> Handle | None:
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        container, children, since = data.get("container"), data.get("children") or [], data.get("since") or 0
        if not (container is None or isinstance(container, str)) or not isinstance(children, list):
            return None
        if not isinstance(since, int) or isinstance(since, bool):
            return None
        return cls(container, tuple(str(c) for c in children), since)


@dataclass(frozen=True)
class Status:
    code: str  # IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED
    detail: str  # the platform's error message for ERROR ("" otherwise)


class ContainerPlatform(Protocol):
    name: str

    async def create_items(self, request: PublishRequest) -> tuple[str, ...]:
        """Carousel item containers (none for a single item)."""
        ...

    async def create_container(self, request: PublishRequest, children: tuple[str, ...]) -> str: ...

    async def status(self, container: str) -> Status: ...

    async def publish_container(self, container: str) -> PublishedRef: ...

    async def find_published(self, request: PublishRequest, since: int) -> PublishedRef | None:
        """The post a container became, when its publish answer was lost (None: not found)."""
        ...

    async def check_quota(self, request: PublishRequest) -> None:
        """RateLimited before anything is made when the account's publishing quota is used up."""
        ...

    def failed(self, request: PublishRequest, detail: str) -> Exception:
        """The error for a container the platform could not process."""
        ...

    def check_after(self, request: PublishRequest) -> float: ...


async def advance(platform: ContainerPlatform, request: PublishRequest) -> PublishedRef | Pending:
    """One step of ``request``'s containers (see the module's docstring)."""
    handle = Handle.decode(request.pending) if request.pending else None
    if handle is None:
        return await _start(platform, request)
    if handle.container is None:
        statuses = [await platform.status(child) for child in handle.children]
        if any(s.code == EXPIRED for s in statuses):
            return await _start(platform, request)
        failed = next((s for s in statuses if s.code == ERROR), None)
        if failed is not None:
            raise platform.failed(request, failed.detail)
        if all(s.code == FINISHED for s in statuses):
            container = await platform.create_container(request, handle.children)
            return _pending(platform, request, Handle(container, handle.children, handle.since))
        return _pending(platform, request, handle)
    status = await platform.status(handle.container)
    if status.code == FINISHED:
        return await platform.publish_container(handle.container)
    if status.code == PUBLISHED:
        found = await platform.find_published(request, handle.since)
        if found is None:
            raise OutcomeUnknown(
                f"{platform.name}: container {handle.container} was published but its post could not be found"
            )
        return found
    if status.code == EXPIRED:
        return await _start(platform, request)
    if status.code == ERROR:
        raise platform.failed(request, status.detail)
    return _pending(platform, request, handle)


async def _start(platform: ContainerPlatform, request: PublishRequest) -> Pending:
    await platform.check_quota(request)
    since = int(time.time()) - 1
    children = await platform.create_items(request)
    container = None if children else await platform.create_container(request, ())
    return _pending(platform, request, Handle(container, children, since))


def _pending(platform: ContainerPlatform, request: PublishRequest, handle: Handle) -> Pending:
    return Pending(handle.encode(), platform.check_after(request))


def check_quota(name: str, answer: Mapping[str, Any], usage: str, config: str, what: str) -> None:
    """RateLimited when ``answer`` (a ``*_publishing_limit`` edge: ``data[0]`` with ``usage`` and ``config``'s
    ``quota_total``) says the quota is used up."""
    data = answer.get("data")
    entry = data[0] if isinstance(data, list) and data and isinstance(data[0], Mapping) else {}
    used, limits = entry.get(usage), entry.get(config)
    total = limits.get("quota_total") if isinstance(limits, Mapping) else None
    if isinstance(used, int) and isinstance(total, int) and used >= total:
        raise RateLimited(
            f"{name}: the account has used its {total} {what} of the last 24 hours; trying again later",
            retry_after=QUOTA_RETRY_AFTER,
        )


def public_url(platform: str, item: MediaItem, number: int) -> str:
    """Where the platform fetches ``item`` from (Meta never takes the bytes)."""
    if item.public_url is None:
        raise MediaRejected(
            f"{platform}: {item.kind} {number} has no public URL for {platform} to fetch it from; set "
            f"OCTOPOST_PUBLIC_URL so uploaded media are served where {platform} can reach them"
        )
    return item.public_url


async def permalink_ref(api: GraphApi, media_id: str) -> PublishedRef:
    """A published post's ref, its ``permalink`` as the URL (``GET /{media}?fields=permalink``)."""
    answer = await api.node(media_id, fields="permalink", action="permalink lookup")
    permalink = answer.get("permalink")
    return PublishedRef(id=media_id, url=permalink if isinstance(permalink, str) else "")


def found_by_text(answer: Mapping[str, Any], text_field: str, text: str) -> PublishedRef | None:
    """In a list of the account's posts (newest first), the oldest whose ``text_field`` is ``text``: the post a
    container became when its publish answer was lost (posts made since the container, so no older one)."""
    data = answer.get("data")
    for post in reversed(data if isinstance(data, list) else []):
        if isinstance(post, Mapping) and (post.get(text_field) or "") == text and post.get("id"):
            return PublishedRef(id=str(post["id"]), url=str(post.get("permalink") or ""))
    return None
