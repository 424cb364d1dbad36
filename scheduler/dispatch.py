"""The dispatcher: claims due targets, runs each post's targets in parallel, and keeps their leases alive.

It claims on every tick, when a target finishes while more is due, on publish-now, and at the moment the next
scheduled target comes due (a timer armed from each claim), so a post goes out on its second, not on a tick.
Each platform has a limit of requests in flight (OCTOPOST_PLATFORM_CONCURRENCY, held by the publisher around
each call) and room for twice that many targets inside max_parallel_targets: behind every request in flight one
more target is loaded, recorded `sending` or finishing, so the platform's slots never wait on our bookkeeping.
Claims take only what fits, so a claimed target waits at most one platform call for its slot.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlmodel import select

from adapters.base import Platform
from octopost.db import utcnow
from octopost.posts.tables import Post
from octopost.runtime import Runtime
from scheduler import claims
from scheduler.media import PostMedia, fetch_post_media
from scheduler.publisher import publish_target

log = logging.getLogger("octopost.scheduler")

# Targets of one platform in flight per request slot: one calling the platform, one getting ready or finishing.
TARGETS_PER_SLOT = 2


class Dispatcher:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.owner = runtime.settings.worker_id
        self.inflight: dict[str, str] = {}  # target id → platform
        self._tasks: set[asyncio.Task[None]] = set()
        self._tick_lock = asyncio.Lock()
        self._again = False
        # Platforms whose room the last claim filled (or all, when it filled its window): more of their work may
        # be due right now, so a finishing target of theirs claims again at once instead of leaving its slot
        # idle until the next tick (what keeps each platform at its limit through a backlog).
        self._backlog: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._wake_pending = False
        self._draining = False
        settings = runtime.settings
        self._platforms = sorted({*(p.value for p in Platform), *settings.platform_limits})

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

    def _rooms(self) -> tuple[int, dict[str, int]]:
        """Free room in all, and per platform (twice its request limit, less its targets in flight)."""
        settings = self.runtime.settings
        busy = Counter(self.inflight.values())
        total = min(settings.max_parallel_targets - len(self.inflight), settings.claim_batch)
        return total, {p: TARGETS_PER_SLOT * settings.concurrency_of(p) - busy[p] for p in self._platforms}

    async def _claim_and_start(self) -> None:
        if self._draining:
            return
        total, rooms = self._rooms()
        if total <= 0 or not any(n > 0 for n in rooms.values()):
            # Every slot is busy while something may have come due (a timer or a wake-up brought us here): the
            # next target to finish, of any platform, claims again. Left as it was, the backlog could name only
            # other platforms, and what came due would wait for the tick (the p99 of dispatch lateness did).
            self._backlog = set(self._platforms)
            return
        result = await claims.claim(self.runtime.db, self.owner, utcnow(), self.lease, total, rooms)
        full = {p for p, n in rooms.items() if n <= 0}  # not asked about: assume they have more
        self._backlog = set(self._platforms) if result.more else full | result.full
        self._arm(result.next_due)
        claimed = result.claimed
        by_post: dict[str, list[str]] = defaultdict(list)
        for item in claimed:
            by_post[item.post_id].append(item.target_id)
            self.inflight[item.target_id] = item.platform
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
            await asyncio.gather(*(self._publish(t, post, media) for t in target_ids))
        except Exception:
            # Leases expire and another tick reclaims the targets; nothing is lost.
            log.exception("publishing post failed unexpectedly", extra={"post_id": post_id})
        finally:
            for target_id in target_ids:
                self._finished(target_id)

    async def _publish(self, target_id: str, post: Post, media: PostMedia) -> None:
        platform = self.inflight.get(target_id)
        try:
            await publish_target(self.runtime, target_id, self.owner, post, media)
        finally:
            # Its lease is released now: renewing it while the post's other targets run would only warn.
            self._finished(target_id)
            if platform is not None and platform == post.primary_platform:
                self.wake()  # the platforms waiting for the primary are due now

    async def _woken(self) -> None:
        self._wake_pending = False
        await self.tick()

    def _finished(self, target_id: str) -> None:
        platform = self.inflight.pop(target_id, None)
        if platform in self._backlog and not self._draining:
            self.wake()

    def _arm(self, next_due: datetime | None) -> None:
        """Wake when the next scheduled target comes due; beyond a tick away the tick itself gets there."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if next_due is None or self._draining:
            return
        # A millisecond late, never early: the claim compares next_attempt_at with the clock it reads then.
        delay = (next_due - utcnow()).total_seconds() + 0.001
        if delay < self.runtime.settings.tick_seconds:
            self._timer = asyncio.get_running_loop().call_later(max(delay, 0.0), self.wake)

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
        if self._wake_pending:
            return  # targets finishing together share one claim
        self._wake_pending = True
        # A fresh context: a publish-now request wakes us, and its request id must not label the scheduler's logs.
        task = asyncio.get_running_loop().create_task(self._woken(), context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, seconds: float) -> None:
        """Wait for running targets (on shutdown); what doesn't finish is reclaimed after its lease."""
        self._draining = True  # no new claims from here on
        self._arm(None)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)
