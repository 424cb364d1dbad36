"""The two steps of an OAuth connect. ``start``: the authorize URL a user opens, with a fresh state bound to the
caller's workspace and mode. ``finish``: the platform's redirect back, which exchanges the code, verifies the
profile against the platform and saves the account; any failure tells the user why and stores nothing.

A test key may connect this way too: the user authorizes on the real platform, so the exchange and the profile
call are real, and the account is a sandbox one (its posts never reach the platform), like every test-mode account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.base import AdapterError, FinishesConnect, PersistsSession
from adapters.info import PlatformInfo
from adapters.registry import UnsupportedPlatform, platform_info
from octopost.accounts.factory import adapter_for
from octopost.accounts.store import save_connected
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.oauth.apps import OAuthApp, setting_names
from octopost.oauth.client import TokenClient
from octopost.oauth.schemas import ConnectStart, ConnectStarted
from octopost.oauth.states import Refusal, Taken, new_state, spend_state, take_state
from octopost.runtime import Runtime
from octopost.timefmt import iso
from octopost.urls import check_base_url, is_http_url

log = logging.getLogger("octopost.oauth")
_MAX_RETURN_TO = 2000
_MAX_FIELD = 200


def _info(platform: str) -> PlatformInfo:
    try:
        return platform_info(platform)
    except UnsupportedPlatform as exc:
        raise ValidationFailed.of([str(exc)]) from None


def _app(runtime: Runtime, info: PlatformInfo) -> OAuthApp:
    if info.oauth is None:
        shapes = " or ".join("{" + ", ".join(sorted(shape)) + "}" for shape in info.credential_shapes)
        raise ValidationFailed.of(
            [f"{info.display_name} does not connect through OAuth: POST /v1/accounts with credentials {shapes}"]
        )
    app = runtime.oauth_app(info.name)
    if app is None:
        names = " and ".join(setting_names(info.name))
        raise ValidationFailed.of(
            [f"{info.display_name} OAuth is not configured on this server: set {names} (the app's credentials)"]
        )
    return app


def _return_to(value: str | None) -> str | None:
    if value is None:
        return None
    if not is_http_url(value) or len(value) > _MAX_RETURN_TO:
        raise ValidationFailed.of([f"return_to must be an absolute http(s) URL of at most {_MAX_RETURN_TO} characters"])
    return value


def _fields(info: PlatformInfo, fields: dict[str, str] | None) -> dict[str, str]:
    """The connect's account fields: only those the platform names, each a short non-empty string."""
    allowed = info.oauth.connect_fields if info.oauth else ()
    problems = []
    for name, value in (fields or {}).items():
        if name not in allowed:
            takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
            problems.append(f"fields.{name} is not a {info.display_name} connect field ({takes})")
        elif not value.strip() or len(value) > _MAX_FIELD:
            problems.append(f"fields.{name} must be a non-empty string of at most {_MAX_FIELD} characters")
    if problems:
        raise ValidationFailed.of(problems)
    return {name: value.strip() for name, value in (fields or {}).items()}


async def start(runtime: Runtime, caller: Caller, data: ConnectStart) -> ConnectStarted:
    info = _info(data.platform)
    app = _app(runtime, info)
    fields = _fields(info, data.fields)
    return_to = _return_to(data.return_to)
    base_url = check_base_url(data.base_url or info.default_base_url)
    if data.base_url:  # a server of the user's choosing: 422 now for a private address (the guard refuses it later)
        await runtime.network.check_url(base_url, what="base_url")
    fresh = await new_state(
        runtime,
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        platform=info.name,
        base_url=base_url,
        return_to=return_to,
        fields=fields,
    )
    url = TokenClient(app, runtime.http).authorize_url(
        state=fresh.state, verifier=fresh.verifier, redirect_uri=runtime.settings.oauth_callback_url
    )
    return ConnectStarted(authorize_url=url, state=fresh.state, expires_at=iso(fresh.expires_at) or "")


class ConnectFailed(Exception):
    """What the user's browser is told when a callback connects nothing."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


@dataclass(frozen=True)
class Connected:
    account: Account
    display_name: str  # the platform's
    return_to: str | None


_REFUSED_STATES = {
    Refusal.UNKNOWN: "This connect link is not one this server issued. Start the connection again from Octopost.",
    Refusal.USED: "This connect link was already used. Start the connection again from Octopost.",
    Refusal.EXPIRED: "This connect link expired (links last 10 minutes). Start the connection again from Octopost.",
}


async def finish(
    runtime: Runtime, *, code: str | None, state: str | None, error: str | None, error_description: str | None
) -> Connected:
    if not state:
        raise ConnectFailed("Nothing was connected", "The platform's answer carries no state, so it cannot be trusted.")
    if error:
        spent = await spend_state(runtime, state)  # a denied state is used up: it cannot be replayed later
        platform = _info(spent.platform).display_name if spent is not None else "The platform"
        reason = "access was denied" if error == "access_denied" else f"{error}: {error_description or 'no detail'}"
        raise ConnectFailed("Nothing was connected", f"{platform} did not authorize Octopost ({reason}).")
    taken = await take_state(runtime, state)
    if not isinstance(taken, Taken):
        raise ConnectFailed("Nothing was connected", _REFUSED_STATES[taken])
    if not code:
        raise ConnectFailed("Nothing was connected", "The platform's answer carries no authorization code.")
    return await _connect(runtime, taken, code)


async def _connect(runtime: Runtime, taken: Taken, code: str) -> Connected:
    row = taken.row
    info = _info(row.platform)
    app = runtime.oauth_app(info.name)
    if app is None:
        raise ConnectFailed("Nothing was connected", f"{info.display_name} OAuth is no longer configured here.")
    redirect_uri = runtime.settings.oauth_callback_url
    try:
        tokens = await TokenClient(app, runtime.http).exchange(
            code=code, verifier=taken.verifier, redirect_uri=redirect_uri, now=utcnow()
        )
        credentials = {**taken.fields, **tokens.credentials()}
        adapter = adapter_for(runtime, info.name, row.base_url, credentials)
        try:
            if isinstance(adapter, FinishesConnect):
                await adapter.finish_connect()
            profile = await adapter.verify()
            if isinstance(adapter, PersistsSession):
                # The whole set the adapter holds now: it may drop what the exchange gave (Facebook: no user token).
                credentials = dict(adapter.updated_credentials() or credentials)
        finally:
            await adapter.aclose()
    except AdapterError as exc:
        log.warning("oauth connect failed", extra={"platform": info.name, "category": exc.category})
        raise ConnectFailed("Nothing was connected", f"{info.display_name}: {exc.message}.") from None
    account = await save_connected(
        runtime,
        workspace_id=row.workspace_id,
        is_test=row.is_test,
        platform=info.name,
        base_url=row.base_url,
        profile=profile,
        credentials=credentials,
    )
    log.info("account connected through oauth", extra={"account_id": account.id, "platform": account.platform})
    return Connected(account=account, display_name=info.display_name, return_to=row.return_to)
