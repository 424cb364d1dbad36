"""GET /healthz: 200 when the database answers, the scheduler ticks (where this process runs it) and no
due work has waited past OCTOPOST_OVERDUE_ALERT_SECONDS; else 503."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text

from octopost.db import utcnow
from octopost.posts import repository
from octopost.public_operation import PublicOperation


@get(
    "/healthz",
    tags=["health"],
    summary="Liveness: database and scheduler",
    media_type=MediaType.JSON,
    operation_class=PublicOperation,
    responses={503: ResponseSpec(data_container=dict[str, Any], description="Unhealthy: see checks")},
)
async def healthz(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    runtime = request.app.state.runtime
    ticker = request.app.state.get("ticker")
    checks: dict[str, Any] = {}
    overdue = 0.0
    try:
        async with runtime.db.session() as session:
            await session.execute(text("SELECT 1"))
            now = utcnow()
            oldest = await repository.oldest_overdue(session, now)
        overdue = (now - oldest).total_seconds() if oldest else 0.0
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    # Due work waiting this long means no scheduler is keeping up (stalled, or none running anywhere).
    checks["oldest_overdue_seconds"] = round(overdue, 1)
    if ticker is None:
        checks["scheduler"] = "disabled in this process"
    else:
        checks["scheduler"] = "ok" if ticker.is_ticking() else "not ticking"
    healthy = (
        checks["database"] == "ok"
        and checks["scheduler"] != "not ticking"
        and overdue <= runtime.settings.overdue_alert_seconds
    )
    # Which process answered (host:pid:random): behind a load balancer, and for a test harness making sure the
    # server on a port is the one it started.
    body = {"status": "ok" if healthy else "unhealthy", "worker": runtime.settings.worker_id, "checks": checks}
    return Response(body, status_code=200 if healthy else 503)
