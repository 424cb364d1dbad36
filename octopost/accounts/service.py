"""Connecting accounts: credentials are verified against the platform before anything is stored.

A test key's account is a sandbox one: its "verification" builds a profile from the credentials without
calling the platform (adapters/sandbox.py), and only test posts publish through it.
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.base import (
    AdapterError,
    OutcomeUnknown,
    PersistsSession,
    RateLimited,
    Transient,
)
from adapters.registry import UnsupportedPlatform, platform_info
from octopost.accounts import repository
from octopost.accounts.factory import adapter_for
from octopost.accounts.schemas import AccountChange, AccountConnect
from octopost.accounts.store import save_connected
from octopost.accounts.tables import Account
from octopost.errors import NotFound, ValidationFailed
from octopost.keys.service import Caller
from octopost.oauth.revoke import revoke_tokens
from octopost.runtime import Runtime
from octopost.urls import check_base_url
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_account_event

log = logging.getLogger("octopost.accounts")


async def connect(runtime: Runtime, caller: Caller, data: AccountConnect) -> Account:
    try:
        info = platform_info(data.platform)
    except UnsupportedPlatform as exc:
        raise ValidationFailed.of([str(exc)]) from None
    keys = set(data.credentials)
    if not any(shape <= keys for shape in info.credential_shapes):
        shapes = " or ".join("{" + ", ".join(sorted(shape)) + "}" for shape in info.credential_shapes)
        raise ValidationFailed.of([f"credentials for {info.platform.value} must contain {shapes}"])
    base_url = check_base_url(data.base_url or info.default_base_url)
    if not caller.is_test:  # a sandbox account never reaches the network
        await runtime.network.check_url(base_url, what="base_url")  # 422 when it resolves to a private address
    adapter = adapter_for(runtime, info.platform.value, base_url, data.credentials, sandbox=caller.is_test)
    try:
        profile = await adapter.verify()
        credentials = dict(data.credentials)
        if isinstance(adapter, PersistsSession):
            credentials.update(adapter.updated_credentials() or {})
    except (Transient, OutcomeUnknown, RateLimited) as exc:
        raise ValidationFailed.of([f"could not reach {info.display_name} at {base_url}: {exc.message}"]) from None
    except AdapterError as exc:
        raise ValidationFailed.of([f"{info.display_name} rejected the credentials: {exc.message}"]) from None
    finally:
        await adapter.aclose()

    account = await save_connected(
        runtime,
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        platform=info.platform.value,
        base_url=base_url,
        profile=profile,
        credentials=credentials,
    )
    log.info("account connected", extra={"account_id": account.id, "platform": account.platform})
    return account


async def list_accounts(runtime: Runtime, caller: Caller, platform: str | None) -> list[Account]:
    if platform is not None:
        try:
            platform = platform_info(platform).platform.value
        except UnsupportedPlatform as exc:
            raise ValidationFailed.of([f"platform: {exc}"]) from None
    async with runtime.db.session() as session:
        return await repository.list_all(session, caller.workspace_id, is_test=caller.is_test, platform=platform)


async def get(runtime: Runtime, caller: Caller, account_id: str) -> Account:
    async with runtime.db.session() as session:
        account = await repository.get(session, caller.workspace_id, account_id, is_test=caller.is_test)
    if account is None:
        raise NotFound(f"Account {account_id} not found")
    return account


async def change(runtime: Runtime, caller: Caller, account_id: str, data: AccountChange) -> Account:
    async with runtime.db.transaction() as session:
        account = await repository.get(session, caller.workspace_id, account_id, is_test=caller.is_test)
        if account is None:
            raise NotFound(f"Account {account_id} not found")
        if not data.is_default:
            raise ValidationFailed.of(
                ["is_default: only true is accepted; make another account the default to change it"]
            )
        if not account.is_active:
            raise ValidationFailed.of([f"is_default: account {account_id} is inactive; verify or reconnect it first"])
        await repository.make_default(session, account)
    return account


async def disconnect(runtime: Runtime, caller: Caller, account_id: str) -> None:
    """Removes the account: its tokens are revoked at the platform where it can (best effort), the event carries it
    as it was, and a post still naming it fails its target rather than publishing through another account."""
    account = await get(runtime, caller, account_id)
    await revoke_tokens(runtime, account)
    async with runtime.db.transaction() as session:
        current = await repository.get(session, caller.workspace_id, account_id, is_test=caller.is_test)
        if current is None:
            raise NotFound(f"Account {account_id} not found")
        current.is_active = False
        await record_account_event(session, EventType.ACCOUNT_DISCONNECTED, current)
        await session.delete(current)
        await session.flush()
        if current.is_default:
            await _promote_newest(session, current)


async def _promote_newest(session: AsyncSession, removed: Account) -> None:
    """The default went: the newest active account of its platform (if any) takes over."""
    defaults = await repository.defaults_for_platforms(
        session, removed.workspace_id, [removed.platform], is_test=removed.is_test
    )
    if (successor := defaults.get(removed.platform)) is not None:
        await repository.make_default(session, successor)
