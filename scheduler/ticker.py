"""APScheduler 3.11 as the clock (never a job store): interval jobs that dispatch and renew leases."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from octopost.db import utcnow
from octopost.runtime import Runtime
from scheduler import unpublisher
from scheduler.dispatch import Dispatcher
from scheduler.expiry import check_token_expiry
from scheduler.housekeeping import HOUSEKEEPING_SECONDS, housekeep
from scheduler.series import materialize_series
from scheduler.webhooks import WebhookSender

log = logging.getLogger("octopost.scheduler")


class Ticker:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.dispatcher = Dispatcher(runtime)
        self.last_tick_at: datetime | None = None
        self._clock = AsyncIOScheduler(timezone="UTC")

    async def _tick(self) -> None:
        try:
            await self.dispatcher.tick()
            self.last_tick_at = utcnow()
        except Exception:
            log.exception("dispatch tick failed")

    async def _renew(self) -> None:
        try:
            await self.dispatcher.renew_leases()
        except Exception:
            log.exception("lease renewal failed")

    def start(self) -> None:
        settings = self.runtime.settings
        # Blocking SDK calls (Mastodon.py, tweepy) run on asyncio's default thread pool, which is cpu + 4 threads
        # (6 on two cores) and shared by every platform: it capped publishes in flight far below the platform
        # concurrency limits.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.blocking_io_slots, thread_name_prefix="octopost-io")
        )
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        # next_run_time=now: work that came due while the service was down goes out at start.
        self._clock.add_job(
            self._tick, "interval", seconds=settings.tick_seconds, id="dispatch", next_run_time=utcnow(), **common
        )
        self._clock.add_job(
            self._renew, "interval", seconds=max(settings.lease_seconds / 3, 0.5), id="leases", **common
        )
        self._clock.add_job(
            WebhookSender(self.runtime).tick, "interval", seconds=settings.tick_seconds, id="webhooks", **common
        )
        self._clock.add_job(
            unpublisher.tick,
            "interval",
            args=[self.runtime, self.dispatcher.owner],
            seconds=settings.tick_seconds,
            id="unpublish",
            **common,
        )
        self._clock.add_job(
            housekeep, "interval", args=[self.runtime], seconds=HOUSEKEEPING_SECONDS, id="housekeeping", **common
        )
        self._clock.add_job(
            check_token_expiry,
            "interval",
            args=[self.runtime],
            seconds=settings.token_expiry_check_seconds,
            id="token-expiry",
            next_run_time=utcnow(),
            **common,
        )
        self._clock.add_job(
            materialize_series,
            "interval",
            args=[self.runtime],
            seconds=settings.series_seconds,
            id="series",
            next_run_time=utcnow(),
            **common,
        )
        self._clock.start()
        self.runtime.wake = self.dispatcher.wake
        log.info("scheduler started", extra={"worker_id": self.dispatcher.owner})

    async def stop(self, drain_seconds: float = 10.0) -> None:
        self._clock.shutdown(wait=False)
        await self.dispatcher.drain(drain_seconds)

    def is_ticking(self, now: datetime | None = None) -> bool:
        if self.last_tick_at is None:
            return False
        allowed = max(self.runtime.settings.tick_seconds * 3, 5.0)
        return ((now or utcnow()) - self.last_tick_at).total_seconds() <= allowed
