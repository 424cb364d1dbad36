"""GET /metrics: this process's counters and the queue read from the database now, in Prometheus' text format.

With OCTOPOST_METRICS_TOKEN set it requires `Authorization: Bearer <token>` (compared in constant time); without,
it is open, like /healthz: bind to loopback or protect it at the proxy. API keys play no part here."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from litestar import Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from octopost.db import utcnow
from octopost.errors import Unauthorized
from octopost.metrics.queue import QueueCollector, read_queue
from octopost.metrics.registry import REGISTRY


def _authorized(request: Request[Any, Any, Any], token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@get("/metrics", include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    runtime = request.app.state.runtime
    settings = runtime.settings
    if settings.metrics_token and not _authorized(request, settings.metrics_token):
        raise Unauthorized("GET /metrics needs Authorization: Bearer <OCTOPOST_METRICS_TOKEN>")
    snapshot = await read_queue(runtime.db, utcnow(), timedelta(seconds=settings.overdue_alert_seconds))
    queue = CollectorRegistry(auto_describe=True)
    queue.register(QueueCollector(snapshot))
    # Two registries, disjoint names: the process's counters, then this scrape's view of the shared queue.
    body = generate_latest(REGISTRY) + generate_latest(queue)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
