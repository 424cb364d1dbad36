"""The dispatcher: claims due targets, runs each post's targets in parallel, and keeps their leases alive."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import timedelta

from sqlmodel import select

from octopost.db import utcnow
from octopost.posts.tables import Post
from octopost.runtime import Runtime
from scheduler import claims
from scheduler.media import PostMedia, fetch_post_media
from scheduler.publisher import publish_target

log = logging.getLogger("octopost.scheduler")


class Dispatcher:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.owner = runtime.settings.worker_id
        self.inflight: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._tick_lock = asyncio.Lock()
        self._again = False
        # The last claim filled all the room it had, so more work may be due right now: a finishing post
        # claims again at once instead of leaving its slots idle until the next tick (what makes a worker keep
        # max_parallel_targets busy through a backlog).
        self._backlog = False
        self._draining = False

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.runtime.settings.lease_seconds)

    async def tick(self) -> None:
        """Claim what is due and start it. A wake-up during a tick makes the tick run once more."""
        if self._tick_lock.locked():
            self._again = True
            return
        async with self._tick_lock:
            self._again = True
            while self._again:
                self._again = False
                await self._claim_and_start()

    async def _claim_and_start(self) -> None:
        if self._draining:
            return
        settings = self.runtime.settings
        room = min(settings.max_parallel_targets - len(self.inflight), settings.claim_batch)
        claimed = await claims.claim_due(self.runtime.db, self.owner, utcnow(), self.lease, room)
        self._backlog = len(claimed) >= room
        by_post: dict[str, list[str]] = defaultdict(list)
        for item in claimed:
            by_post[item.post_id].append(item.target_id)
            self.inflight.add(item.target_id)
        for post_id, target_ids in by_post.items():
            task = asyncio.create_task(self._run_post(post_id, target_ids))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if claimed:
            log.info("claimed %d targets of %d posts", len(claimed), len(by_post))

    async def _run_post(self, post_id: str, target_ids: list[str]) -> None:
        try:
            async with self.runtime.db.session() as session:
                post = (await session.exec(select(Post).where(Post.id == post_id))).first()
            if post is None:
                return
            media = await fetch_post_media(self.runtime, post)  # once per publish, shared by its targets
            await asyncio.gather(*(self._publish(t, media) for t in target_ids))
        except Exception:
            # Leases expire and another tick reclaims the targets; nothing is lost.
            log.exception("publishing post failed unexpectedly", extra={"post_id": post_id})
        finally:
            self.inflight.difference_update(target_ids)
            if self._backlog and not self._draining:
                self.wake()

    async def _publish(self, target_id: str, media: PostMedia) -> None:
        try:
            await publish_target(self.runtime, target_id, self.owner, media)
        finally:
            # Its lease is released now: renewing it while the post's other targets run would only warn.
            self.inflight.discard(target_id)

    async def renew_leases(self) -> None:
        held = list(self.inflight)
        if not held:
            return
        kept = await claims.renew(self.runtime.db, self.owner, held, utcnow() + self.lease)
        lost = set(held) - kept
        if lost:
            log.warning("leases no longer held: %s", sorted(lost))

    def wake(self) -> None:
        """Run a tick now (from the event loop thread), so publish-now does not wait for the next one."""
        task = asyncio.get_running_loop().create_task(self.tick())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, seconds: float) -> None:
        """Wait for running targets (on shutdown); what doesn't finish is reclaimed after its lease."""
        self._draining = True  # no new claims from here on
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)
