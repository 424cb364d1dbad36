"""Accounts at /app/accounts: the workspace's accounts, connecting one (the platform's OAuth screen, or a form
for token platforms), verify, make default, disconnect."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from octopost.accounts import service, verify
from octopost.accounts.schemas import AccountChange, AccountConnect
from octopost.accounts.views import to_read
from octopost.dashboard.platform_setup import setup_of, setups
from octopost.dashboard.render import redirect, render
from octopost.errors import NotFound, ValidationFailed
from octopost.keys.service import Caller
from octopost.oauth import service as oauth
from octopost.oauth.schemas import ConnectStart
from octopost.runtime import Runtime

CONNECTED_PATH = "/app/accounts/connected"


def _text(form: Any, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


class AccountPages(Controller):
    path = "/accounts"
    opt = {"scope": "accounts:write"}

    @get("/", opt={"scope": "accounts:read"})
    async def list_accounts(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Response[Any]:
        accounts = [to_read(a) for a in await service.list_accounts(runtime, caller, None)]
        return render(request, "accounts.html", {"title": "Accounts", "accounts": accounts, "platforms": setups()})

    @post("/connect")
    async def connect_oauth(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Any:
        """The platform's authorization screen, through the same service as POST /v1/accounts/connect."""
        form = await request.form()
        setup = setup_of(str(form.get("platform") or ""))
        if setup is None or not setup.uses_oauth:
            raise ValidationFailed.of(["platform: choose a platform that connects through its OAuth screen"])
        fields = {name: value for name in setup.connect_fields if (value := _text(form, name))}
        start = ConnectStart(
            platform=setup.name,
            return_to=runtime.settings.public_url + CONNECTED_PATH,
            base_url=_text(form, "base_url"),
            fields=fields or None,
        )
        try:
            started = await oauth.start(runtime, caller, start)
        except ValidationFailed as failed:
            return redirect(request, "/app/accounts", failed.message, kind="error")
        return Redirect(started.authorize_url, status_code=303)

    @get("/new/{platform:str}")
    async def token_form(self, request: Request[Any, Any, Any], caller: Caller, platform: str) -> Response[Any]:
        setup = setup_of(platform)
        if setup is None:
            raise NotFound(f"No platform {platform!r}")
        return render(request, "account_form.html", {"title": f"Connect {setup.display_name}", "setup": setup})

    @post("/new/{platform:str}")
    async def connect_token(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, platform: str
    ) -> Response[Any]:
        setup = setup_of(platform)
        if setup is None:
            raise NotFound(f"No platform {platform!r}")
        form = await request.form()
        credentials = {field.name: value for field in setup.fields if (value := _text(form, field.name))}
        data = AccountConnect(platform=setup.name, credentials=credentials, base_url=_text(form, "base_url"))
        try:
            account = await service.connect(runtime, caller, data)
        except ValidationFailed as failed:
            context = {"title": f"Connect {setup.display_name}", "setup": setup, "error": failed.message}
            context["base_url"] = data.base_url or ""
            return render(request, "account_form.html", context, status_code=422)
        return redirect(request, "/app/accounts", f"Connected @{account.username} on {setup.display_name}.")

    @post("/{account_id:str}/verify")
    async def verify_account(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, account_id: str
    ) -> Any:
        account = await verify.verify(runtime, caller, account_id)
        if account.is_active:
            return redirect(request, "/app/accounts", f"@{account.username} works: the platform accepted its token.")
        return redirect(request, "/app/accounts", f"@{account.username} needs reconnecting.", kind="error")

    @post("/{account_id:str}/default")
    async def make_default(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, account_id: str
    ) -> Any:
        try:
            account = await service.change(runtime, caller, account_id, AccountChange(is_default=True))
        except ValidationFailed as failed:
            return redirect(request, "/app/accounts", failed.message, kind="error")
        return redirect(request, "/app/accounts", f"@{account.username} is now the default {account.platform} account.")

    @post("/{account_id:str}/disconnect")
    async def disconnect(
        self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, account_id: str
    ) -> Any:
        await service.disconnect(runtime, caller, account_id)
        return redirect(request, "/app/accounts", "The account was disconnected.")


@get(CONNECTED_PATH.removeprefix("/app"))
async def connected(request: Request[Any, Any, Any]) -> Response[Any]:
    """Where the OAuth callback sends the browser. The redirect chain came from the platform's site, so the
    SameSite=Strict session cookie is not sent here: the page needs none, and its link back (a same-site
    navigation) carries the cookie again."""
    return render(request, "connected.html", {"title": "Account connected"})
