"""HTTP routes for /v1/accounts."""

from __future__ import annotations

from litestar import Controller, delete, get, post

from octopost.accounts import service
from octopost.accounts.schemas import AccountConnect, AccountList, AccountRead
from octopost.accounts.views import to_read
from octopost.errors import error_responses
from octopost.keys.service import Caller
from octopost.runtime import Runtime


class AccountController(Controller):
    path = "/v1/accounts"
    tags = ["accounts"]
    opt = {"scope": "accounts:write"}  # reads override it with accounts:read

    @post(
        "/",
        status_code=201,
        summary="Connect a platform account (credentials are verified first)",
        responses=error_responses(422),
    )
    async def connect(self, data: AccountConnect, runtime: Runtime, caller: Caller) -> AccountRead:
        return to_read(await service.connect(runtime, caller, data))

    @get("/", summary="List connected accounts", responses=error_responses(), opt={"scope": "accounts:read"})
    async def list_accounts(self, runtime: Runtime, caller: Caller) -> AccountList:
        return AccountList(accounts=[to_read(a) for a in await service.list_accounts(runtime, caller)])

    @delete("/{account_id:str}", status_code=204, summary="Disconnect an account", responses=error_responses(404))
    async def disconnect(self, account_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.disconnect(runtime, caller, account_id)
