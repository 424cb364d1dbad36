"""HTTP routes for /v1/accounts."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter

from octopost.accounts import service
from octopost.accounts.schemas import AccountChange, AccountConnect, AccountList, AccountRead
from octopost.accounts.verify import verify
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

    @get(
        "/",
        summary="List accounts, active and inactive",
        responses=error_responses(422),
        opt={"scope": "accounts:read"},
    )
    async def list_accounts(
        self,
        runtime: Runtime,
        caller: Caller,
        platform: str | None = Parameter(default=None, description="only this platform's accounts"),
    ) -> AccountList:
        return AccountList(accounts=[to_read(a) for a in await service.list_accounts(runtime, caller, platform)])

    @get(
        "/{account_id:str}",
        summary="Get an account",
        responses=error_responses(404),
        opt={"scope": "accounts:read"},
    )
    async def get_account(self, account_id: str, runtime: Runtime, caller: Caller) -> AccountRead:
        return to_read(await service.get(runtime, caller, account_id))

    @put(
        "/{account_id:str}",
        summary="Make an account its platform's default",
        responses=error_responses(404, 422),
    )
    async def change(self, account_id: str, data: AccountChange, runtime: Runtime, caller: Caller) -> AccountRead:
        return to_read(await service.change(runtime, caller, account_id, data))

    @post(
        "/{account_id:str}/verify",
        status_code=200,
        summary="Re-check an account's credentials with the platform (updates is_active)",
        responses=error_responses(404, 422),
    )
    async def verify(self, account_id: str, runtime: Runtime, caller: Caller) -> AccountRead:
        return to_read(await verify(runtime, caller, account_id))

    @delete("/{account_id:str}", status_code=204, summary="Remove an account", responses=error_responses(404))
    async def disconnect(self, account_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.disconnect(runtime, caller, account_id)
