"""GET /healthz: 200 when the database answers, the scheduler ticks (where this process runs it) and no
due work has waited past OCTOPOST_OVERDUE_ALERT_SECONDS; else 503."""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from alembic.script import ScriptDirectory
from litestar import MediaType, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text

from octopost.db import utcnow
from octopost.migrate import alembic_config
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
    checks["schema"] = await _schema_state(runtime)
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


@cache
def _migration_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


async def _schema_state(runtime: Any) -> str:
    """The word ok when the database is at this code's migration head, else where it is (for `octopost doctor`).
    Not part of the status: in a rolling upgrade the first new process migrates ahead of the old ones still
    serving, and a load balancer should not pull them all for that."""
    heads = await asyncio.to_thread(_migration_heads)  # reads the migration scripts, once per process
    try:
        async with runtime.db.session() as session:
            found = set((await session.execute(text("SELECT version_num FROM alembic_version"))).scalars())
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    if found == heads:
        return "ok"
    return f"at {', '.join(sorted(found)) or 'no revision'}, head is {', '.join(sorted(heads))}"
