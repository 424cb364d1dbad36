"""HTTP routes for /v1/queue: the workspace's weekly slots and a preview of the free ones."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import Parameter

from octopost.errors import error_responses
from octopost.keys.service import Caller
from octopost.queue import schemas, service
from octopost.runtime import Runtime


class QueueController(Controller):
    path = "/v1/queue"
    tags = ["queue"]
    opt = {"scope": "posts:read"}

    @get("/", summary="The queue's weekly slots and timezone", responses=error_responses())
    async def get_queue(self, runtime: Runtime, caller: Caller) -> schemas.QueueSchedule:
        return await service.get_schedule(runtime, caller)

    @put(
        "/",
        summary="Replace the queue's slots and timezone",
        responses=error_responses(422),
        opt={"scope": "posts:write"},
    )
    async def put_queue(self, data: schemas.QueueSchedule, runtime: Runtime, caller: Caller) -> schemas.QueueSchedule:
        return await service.put_schedule(runtime, caller, data)

    @get("/next", summary="The next free slots (no scheduled post holds them)", responses=error_responses(422))
    async def next_slots(
        self, runtime: Runtime, caller: Caller, count: int = Parameter(default=5, description="1 to 50")
    ) -> schemas.UpcomingSlots:
        return await service.upcoming_free(runtime, caller, count)
