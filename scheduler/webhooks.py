"""The webhook sender, run by the ticker: claims due deliveries, signs and POSTs each one, records the
attempt. At least once: a worker that dies mid-send loses its lease and another sends the same evt_ again
(receivers deduplicate on the webhook-id header, which is the event id on every attempt)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx

from octopost.db import utcnow
from octopost.metrics import record
from octopost.runtime import Runtime
from octopost.webhooks.signing import signed_headers
from scheduler import webhook_claims
from scheduler.webhook_claims import Outcome, Outgoing
from scheduler.webhook_retry import next_retry_at, parse_retry_after

log = logging.getLogger("octopost.webhooks")

MAX_IN_FLIGHT = 32  # deliveries being sent at once by this process
_ERROR_BODY_CHARS = 200  # how much of a failed answer is kept to show in /deliveries
USER_AGENT = "Octopost-Webhooks/1.0"


class WebhookSender:
    def __init__(
        self, runtime: Runtime, clock: Callable[[], datetime] = utcnow, rand: Callable[[], float] = random.random
    ) -> None:
        self.runtime = runtime
        self.owner = runtime.settings.worker_id
        self.clock = clock
        self.rand = rand
        self.inflight: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def lease(self) -> timedelta:
        settings = self.runtime.settings
        return timedelta(seconds=settings.lease_seconds + settings.webhook_timeout_seconds)

    async def tick(self) -> None:
        """Claim what is due and start sending it; never raises (the ticker calls it on an interval)."""
        try:
            room = min(MAX_IN_FLIGHT - len(self.inflight), self.runtime.settings.claim_batch)
            claimed = await webhook_claims.claim_due(self.runtime.db, self.owner, self.clock(), self.lease, room)
        except Exception:
            log.exception("claiming webhook deliveries failed")
            return
        for delivery_id in claimed:
            self.inflight.add(delivery_id)
            task = asyncio.create_task(self._deliver(delivery_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, delivery_id: str) -> None:
        settings = self.runtime.settings
        try:
            outgoing = await webhook_claims.load(self.runtime.db, delivery_id, self.owner)
            if outgoing is None:
                return
            secret = self.runtime.cipher.decrypt(outgoing.secret_encrypted)["secret"]
            now = self.clock()
            outcome = await send(self.runtime.http, outgoing, secret, now, settings.webhook_timeout_seconds)
            retry_at = None
            if not outcome.delivered:
                retry_at = next_retry_at(
                    outgoing.attempt,
                    now,
                    outcome.retry_after,
                    base_seconds=settings.webhook_retry_base_seconds,
                    rand=self.rand,
                )
            await webhook_claims.settle(
                self.runtime.db, outgoing, self.owner, outcome, now, retry_at, settings.webhook_disable_after
            )
            record.webhook_attempt(outcome.delivered)
            log.info(
                "webhook delivered" if outcome.delivered else "webhook attempt failed",
                extra={
                    "delivery_id": delivery_id,
                    "event_id": outgoing.event_id,
                    "endpoint_id": outgoing.endpoint_id,
                    "attempt": outgoing.attempt,
                    "status_code": outcome.status_code,
                    "duration_ms": outcome.duration_ms,
                },
            )
        except Exception:
            # The lease expires and a later tick sends it again; nothing is lost.
            log.exception("sending a webhook failed unexpectedly", extra={"delivery_id": delivery_id})
        finally:
            self.inflight.discard(delivery_id)

    async def drain(self, seconds: float) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)


async def send(http: httpx.AsyncClient, outgoing: Outgoing, secret: str, now: datetime, seconds: float) -> Outcome:
    """One signed POST. 2xx is delivered; anything else (a redirect included: never followed) is a failure."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signed_headers(secret, outgoing.event_id, outgoing.payload, now),
    }
    started = time.perf_counter()

    def elapsed() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        async with (
            asyncio.timeout(seconds),
            http.stream(
                "POST", outgoing.url, content=outgoing.payload.encode(), headers=headers, follow_redirects=False
            ) as response,
        ):
            status = response.status_code
            if 200 <= status < 300:
                return Outcome(delivered=True, status_code=status, error=None, duration_ms=elapsed())
            snippet = await _read_some(response)
            retry_after = parse_retry_after(response.headers.get("retry-after"), now) if status in (429, 503) else None
            location = response.headers.get("location") if 300 <= status < 400 else None
    except TimeoutError:
        return Outcome(False, None, f"no answer within {seconds:g} s", elapsed())
    except Exception as exc:  # connection refused, TLS, refused by the network policy, …
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500], elapsed())
    error = f"HTTP {status}"
    if location is not None:
        error += f": redirects are not followed (Location: {location[:300]})"
    elif snippet:
        error += f": {snippet}"
    return Outcome(False, status, error, elapsed(), gone=status == 410, retry_after=retry_after)


async def _read_some(response: httpx.Response) -> str:
    """The start of the receiver's answer (never the whole of a large one)."""
    data = b""
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) >= _ERROR_BODY_CHARS:
            break
    return data[:_ERROR_BODY_CHARS].decode(errors="replace").strip()
