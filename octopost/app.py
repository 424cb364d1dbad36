"""The Litestar application: routes, dependencies, error envelope, OpenAPI, and the scheduler's lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from octopost.accounts.controllers import AccountController
from octopost.allow import complete_allow_header
from octopost.auth import provide_caller, provide_runtime
from octopost.dashboard.routes import dashboard_router
from octopost.dashboard.templating import dashboard_templates
from octopost.errors import (
    DomainError,
    UnsupportedMediaType,
    domain_error_handler,
    http_exception_handler,
    internal_error_handler,
    validation_exception_handler,
)
from octopost.health import healthz
from octopost.idempotency.http import provide_idempotency, replay_handler
from octopost.idempotency.service import IdempotentReplay
from octopost.mcp_endpoint.mount import mcp_endpoint
from octopost.metrics.http import count_request
from octopost.metrics.route import metrics
from octopost.oauth.controllers import OAuthConnectController, oauth_callback
from octopost.posts.controllers import PostController
from octopost.presets.controllers import PresetController
from octopost.queue.controllers import QueueController
from octopost.ratelimit.headers import add_rate_limit_headers
from octopost.request_id import RequestIdMiddleware
from octopost.runtime import Runtime
from octopost.schema_ui import offline_swagger, swagger_asset
from octopost.settings import Settings
from octopost.uploads.controllers import MediaController, public_media
from octopost.webhooks.controllers import WebhookController

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


async def require_json_body(request: Request[Any, Any, Any]) -> None:
    """A request that carries a body must say it is JSON (else 415 in the envelope)."""
    if request.method not in _BODY_METHODS:
        return
    has_body = int(request.headers.get("content-length") or 0) > 0 or "transfer-encoding" in request.headers
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    also = request.route_handler.opt.get("also_accepts", ())  # e.g. text/csv for a bulk import
    if has_body and not (content_type == "application/json" or content_type.endswith("+json") or content_type in also):
        raise UnsupportedMediaType(
            f"Request body must be application/json, got {content_type or 'no Content-Type'}",
            {"content_type": content_type},
        )


def create_app(settings: Settings | None = None, *, with_scheduler: bool | None = None) -> Litestar:
    settings = settings or Settings()
    run_scheduler = settings.scheduler_enabled if with_scheduler is None else with_scheduler

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        runtime = Runtime.create(settings)
        app.state.runtime = runtime
        ticker = None
        if run_scheduler:
            from scheduler.ticker import Ticker  # the one hook into the scheduler: start it, let it wake us

            ticker = Ticker(runtime)
            ticker.start()
        app.state.ticker = ticker
        try:
            yield
        finally:
            if ticker is not None:
                await ticker.stop()
            await runtime.aclose()

    mcp = mcp_endpoint(settings)  # /mcp for AI agents: the same keys, scopes and services
    app = Litestar(
        route_handlers=[
            PostController,
            OAuthConnectController,
            AccountController,
            WebhookController,
            QueueController,
            PresetController,
            MediaController,
            public_media,
            oauth_callback,
            healthz,
            metrics,
            swagger_asset,
            dashboard_router(),
            mcp.handler,
        ],
        dependencies={
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            "caller": Provide(provide_caller),
            "idempotency": Provide(provide_idempotency),
        },
        before_request=require_json_body,
        before_send=[add_rate_limit_headers, complete_allow_header, count_request],
        exception_handlers={
            IdempotentReplay: replay_handler,
            DomainError: domain_error_handler,
            ValidationException: validation_exception_handler,
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
        lifespan=[lifespan, mcp.lifespan],  # the MCP session manager runs inside the runtime's life
        openapi_config=OpenAPIConfig(
            title="Octopost",
            version="1.0.0",
            description="Self-hosted cross-posting scheduler speaking the Octopost REST API.",
            path="/schema",
            render_plugins=[offline_swagger()],  # its files served by us: no CDN
            components=Components(
                security_schemes={"BearerAuth": SecurityScheme(type="http", scheme="bearer", description="oct_live_…")}
            ),
            security=[{"BearerAuth": []}],
        ),
        template_config=dashboard_templates(),
        debug=False,
        logging_config=None,  # octopost.logs configures logging (structured, one event per line)
    )
    # Outside Litestar's routing and error handling: every response (a 404 too) carries its request's id.
    app.asgi_handler = RequestIdMiddleware(app.asgi_handler)
    return app
