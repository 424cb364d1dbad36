"""The edge of idempotency: the ``Idempotency-Key`` header in, a stored response replayed out."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, Response
from litestar.params import Parameter

from octopost.errors import BadRequest
from octopost.idempotency.service import Idempotency, IdempotentReplay, request_fingerprint
from octopost.keys.service import Caller
from octopost.runtime import Runtime

MAX_KEY_LENGTH = 255


async def provide_idempotency(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    caller: Caller,
    idempotency_key: Annotated[
        str | None,
        Parameter(
            header="Idempotency-Key",
            description="Up to 255 characters (a UUID v4 is a good choice): a retry with the same key and body "
            "gets the first response again (header Idempotent-Replayed: true) instead of running twice. "
            "Kept 24 hours.",
        ),
    ] = None,
) -> Idempotency:
    key = None
    if idempotency_key is not None:
        key = idempotency_key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise BadRequest(
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters", {"length": len(idempotency_key)}
            )
    method_path = f"{request.method} {request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
    return Idempotency(
        db=runtime.db,
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        key=key,
        method_path=method_path,
        request_sha256=request_fingerprint(await request.body()) if key else "",
        success_status=request.route_handler.status_code or 200,
    )


def replay_handler(_: Request[Any, Any, Any], exc: IdempotentReplay) -> Response[bytes]:
    return Response(
        content=exc.body, status_code=exc.status, media_type=MediaType.JSON, headers={"Idempotent-Replayed": "true"}
    )
