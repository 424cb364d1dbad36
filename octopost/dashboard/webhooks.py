"""Webhooks at /app/webhooks: endpoints with their events and delivery log; create, rotate the secret (shown
once), re-enable a disabled endpoint, delete."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from octopost.dashboard.render import redirect, render
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.runtime import Runtime
from octopost.webhooks import service
from octopost.webhooks.events import KNOWN_EVENTS
from octopost.webhooks.schemas import WebhookCreate, WebhookUpdate, WebhookWithSecret

LOG_SIZE = 20  # the latest delivery attempts shown per endpoint


class WebhookPages(Controller):
    path = "/webhooks"
    opt = {"scope": "webhooks:write"}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        runtime: Runtime,
        caller: Caller,
        *,
        secret: WebhookWithSecret | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response[Any]:
        endpoints = await service.list_endpoints(runtime, caller)
        logs = {e.id: (await service.attempts(runtime, caller, e.id, LOG_SIZE)).deliveries for e in endpoints}
        context = {
            "title": "Webhooks",
            "endpoints": endpoints,
            "logs": logs,
            "events": sorted(KNOWN_EVENTS),
            "secret": secret,
            "error": error,
        }
        return render(request, "webhooks.html", context, status_code=status_code)

    @get("/", opt={"scope": "webhooks:read"})
    async def list_endpoints(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Response[Any]:
        return await self._page(request, runtime, caller)

    @post("/")
    async def create(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Response[Any]:
        form = await request.form()
        data = WebhookCreate(url=str(form.get("url") or ""), events=[str(e) for e in form.getall("events", [])])
        try:
            created = await service.create(runtime, caller, data)
        except ValidationFailed as failed:
            return await self._page(request, runtime, caller, error=failed.message, status_code=422)
        return await self._page(request, runtime, caller, secret=created)  # the secret, this once

    @post("/{endpoint_id:str}/rotate")
    async def rotate(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, endpoint_id: str
    ) -> Response[Any]:
        rotated = await service.rotate_secret(runtime, caller, endpoint_id)
        return await self._page(request, runtime, caller, secret=rotated)

    @post("/{endpoint_id:str}/enable")
    async def enable(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, endpoint_id: str) -> Any:
        await service.update(runtime, caller, endpoint_id, WebhookUpdate(is_active=True))
        return redirect(request, "/app/webhooks", "The endpoint is enabled again.")

    @post("/{endpoint_id:str}/delete")
    async def delete(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, endpoint_id: str) -> Any:
        await service.delete(runtime, caller, endpoint_id)
        return redirect(request, "/app/webhooks", "The endpoint was deleted.")
