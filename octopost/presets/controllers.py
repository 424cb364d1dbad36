"""HTTP routes for /v1/presets."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put

from octopost.errors import error_responses
from octopost.keys.service import Caller
from octopost.presets import service
from octopost.presets.schemas import PresetCreate, PresetList, PresetRead, PresetUpdate
from octopost.runtime import Runtime


class PresetController(Controller):
    path = "/v1/presets"
    tags = ["presets"]
    opt = {"scope": "presets:write"}  # reads override it with presets:read

    @get(
        "/", summary="List presets (the system ones first)", responses=error_responses(), opt={"scope": "presets:read"}
    )
    async def list_presets(self, runtime: Runtime, caller: Caller) -> PresetList:
        return await service.list_presets(runtime, caller)

    @post("/", status_code=201, summary="Create a preset", responses=error_responses(409, 422))
    async def create(self, data: PresetCreate, runtime: Runtime, caller: Caller) -> PresetRead:
        return await service.create(runtime, caller, data)

    @get("/{preset_id:str}", summary="Get a preset", responses=error_responses(404), opt={"scope": "presets:read"})
    async def get_preset(self, preset_id: str, runtime: Runtime, caller: Caller) -> PresetRead:
        return await service.get(runtime, caller, preset_id)

    @put(
        "/{preset_id:str}", summary="Change a preset (not a system one)", responses=error_responses(403, 404, 409, 422)
    )
    async def update(self, preset_id: str, data: PresetUpdate, runtime: Runtime, caller: Caller) -> PresetRead:
        return await service.update(runtime, caller, preset_id, data)

    @delete(
        "/{preset_id:str}",
        status_code=204,
        summary="Delete a preset (not a system one); posts made with it keep their platforms",
        responses=error_responses(403, 404),
    )
    async def delete_preset(self, preset_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.delete(runtime, caller, preset_id)
