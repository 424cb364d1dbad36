"""Recurring posts (an interval job of the ticker): later occurrences created ahead of their time, by
octopost.series.materialize (which tests call directly)."""

from __future__ import annotations

import logging

from octopost.runtime import Runtime
from octopost.series.materialize import materialize

log = logging.getLogger("octopost.scheduler")


async def materialize_series(runtime: Runtime) -> None:
    try:
        await materialize(runtime)
    except Exception:
        log.exception("materializing series failed")
