"""Housekeeping (an interval job of the ticker): idempotency records past their 24 hours, idle rate counters,
old uploads no post references.

Both are also harmless to keep: an expired idempotency key is freed lazily when it is reused.
"""

from __future__ import annotations

import logging

from octopost.db import utcnow
from octopost.idempotency.service import purge_expired
from octopost.ratelimit.service import purge_idle
from octopost.runtime import Runtime
from octopost.uploads.service import purge_unreferenced

log = logging.getLogger("octopost.scheduler")

HOUSEKEEPING_SECONDS = 600.0


async def housekeep(runtime: Runtime) -> None:
    try:
        now = utcnow()
        records = await purge_expired(runtime.db, now)
        counters = await purge_idle(runtime.db, now)
        uploads = await purge_unreferenced(runtime, now)
    except Exception:
        log.exception("housekeeping failed")
        return
    if records or counters or uploads:
        log.info(
            "housekept",
            extra={"idempotency_records": records, "rate_limit_counters": counters, "media_uploads": uploads},
        )
