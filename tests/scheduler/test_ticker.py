"""The scheduler's liveness as /healthz reports it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from octopost.runtime import Runtime
from octopost.settings import Settings
from scheduler.ticker import Ticker


async def test_ticking_means_a_tick_within_three_intervals(tmp_path: Path) -> None:
    runtime = Runtime.create(Settings(data_dir=tmp_path, tick_seconds=2.0, secret_key="k"))
    try:
        ticker = Ticker(runtime)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        assert not ticker.is_ticking(now)  # never ticked
        ticker.last_tick_at = now - timedelta(seconds=5.9)
        assert ticker.is_ticking(now)
        ticker.last_tick_at = now - timedelta(seconds=6.1)
        assert not ticker.is_ticking(now)
    finally:
        await runtime.aclose()
