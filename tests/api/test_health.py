"""/healthz tells an operator when due work is not being published (no scheduler, or a stalled one)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.peers.app import make_octopost
from tests.scheduler.flows import in_seconds, wait_for


def test_api_only_process_reports_overdue_work(tmp_path: Path) -> None:
    service = make_octopost(tmp_path, OCTOPOST_OVERDUE_ALERT_SECONDS="1").start("--no-scheduler")
    try:
        health = httpx.get(f"{service.url}/healthz").json()
        assert health["checks"]["scheduler"] == "disabled in this process"
        api = service.client()
        created = api.post(
            "/v1/posts",
            json={"content": "nobody will send me", "platforms": ["mastodon"], "scheduled_for": in_seconds(1)},
        )
        assert created.status_code == 201, created.text

        def unhealthy() -> bool:
            return httpx.get(f"{service.url}/healthz").status_code == 503

        wait_for(unhealthy, timeout=30, what="/healthz turning 503 for overdue work")
        body = httpx.get(f"{service.url}/healthz").json()
        assert body["status"] == "unhealthy"
        assert body["checks"]["oldest_overdue_seconds"] >= 1  # past the 1 s threshold (shown rounded)
        assert body["checks"]["database"] == "ok"
    finally:
        service.stop()
