"""HTTP routes for /v1/webhooks."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter

from octopost.errors import error_responses
from octopost.keys.service import Caller
from octopost.runtime import Runtime
from octopost.webhooks import service
from octopost.webhooks.schemas import (
    WebhookAttemptList,
    WebhookCreate,
    WebhookList,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]
    opt = {"scope": "webhooks:write"}  # reads override it with webhooks:read (octopost/keys/scopes.py)

    @post(
        "/",
        status_code=201,
        summary="Register an endpoint (the signing secret is in this response only)",
        responses=error_responses(422),
    )
    async def create(self, data: WebhookCreate, runtime: Runtime, caller: Caller) -> WebhookWithSecret:
        return await service.create(runtime, caller, data)

    @get(
        "/", summary="List endpoints (never their secrets)", responses=error_responses(), opt={"scope": "webhooks:read"}
    )
    async def list_webhooks(self, runtime: Runtime, caller: Caller) -> WebhookList:
        return WebhookList(webhooks=await service.list_endpoints(runtime, caller))

    @get("/{webhook_id:str}", summary="Get an endpoint", responses=error_responses(404), opt={"scope": "webhooks:read"})
    async def get_webhook(self, webhook_id: str, runtime: Runtime, caller: Caller) -> WebhookRead:
        return await service.get(runtime, caller, webhook_id)

    @put(
        "/{webhook_id:str}",
        summary="Change url, events or is_active (re-activating resets the failure run)",
        responses=error_responses(404, 422),
    )
    async def update(self, webhook_id: str, data: WebhookUpdate, runtime: Runtime, caller: Caller) -> WebhookRead:
        return await service.update(runtime, caller, webhook_id, data)

    @delete("/{webhook_id:str}", status_code=204, summary="Delete an endpoint", responses=error_responses(404))
    async def delete_webhook(self, webhook_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.delete(runtime, caller, webhook_id)

    @post(
        "/{webhook_id:str}/rotate-secret",
        status_code=200,
        summary="Replace the signing secret (the new one is in this response only)",
        responses=error_responses(404),
    )
    async def rotate_secret(self, webhook_id: str, runtime: Runtime, caller: Caller) -> WebhookWithSecret:
        return await service.rotate_secret(runtime, caller, webhook_id)

    @get(
        "/{webhook_id:str}/deliveries",
        summary="Recent delivery attempts, newest first",
        responses=error_responses(404, 422),
        opt={"scope": "webhooks:read"},
    )
    async def deliveries(
        self,
        webhook_id: str,
        runtime: Runtime,
        caller: Caller,
        limit: int = Parameter(default=20, description="1 to 100"),
    ) -> WebhookAttemptList:
        return await service.attempts(runtime, caller, webhook_id, limit)
