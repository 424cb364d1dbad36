"""``FakeGraph``: what the Threads and Instagram fakes share beyond their routes: one user per token prefix, the
containers (containers.py), the published objects (every one recorded: exactly-once assertions), the rolling-day
publishing quota, and the control plane:

- ``PUT /_fake/processing {"polls": n}``: status reads before a container is FINISHED (default 2);
- ``POST /_fake/expire {"container": id}``: that container (none: every unpublished one) is EXPIRED;
- ``PUT /_fake/quota {"posts": n, "replies": n}``: the quota totals (the platform's by default);
- ``GET /_fake/containers``, ``GET /_fake/published``: what was made and what was published.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from tests.fakes.core import Created, FakePlatform
from tests.fakes.http import Request, Response
from tests.fakes.meta.containers import Containers


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

    def control(self, request: Request) -> Response:
        body = request.json_object() or {}
        route = (request.method, request.path)
        if route == ("PUT", "/_fake/processing"):
            self.containers.polls = int(body.get("polls", 2))
            return Response(200, {"polls": self.containers.polls})
        if route == ("POST", "/_fake/expire"):
            return Response(200, {"expired": self.containers.expire(body.get("container"))})
        if route == ("PUT", "/_fake/quota"):
            self.quota.update({k: int(v) for k, v in body.items() if k in self.default_quota})
            return Response(200, self.quota)
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
