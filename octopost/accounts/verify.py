"""Re-checking a stored account against its platform (POST /v1/accounts/{id}/verify).

The answer decides ``is_active``: credentials the platform accepts make the account active again (and refresh its
profile), credentials it refuses make it inactive, each change announced by its webhook event. A platform that
cannot be reached right now decides nothing: 422, as when connecting, and the account stays as it was. An OAuth
token about to expire is refreshed first, as a publish would, so a verify never reports a refreshable account dead.
"""

from __future__ import annotations

import logging

from adapters.base import AdapterError, OutcomeUnknown, PersistsSession, Profile, RateLimited, Transient
from adapters.registry import platform_info
from octopost.accounts import repository
from octopost.accounts.factory import adapter_for_account
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import NotFound, ValidationFailed
from octopost.keys.service import Caller
from octopost.oauth.refresh import expires_soon, refreshed
from octopost.runtime import Runtime
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_account_event

log = logging.getLogger("octopost.accounts")


async def verify(runtime: Runtime, caller: Caller, account_id: str) -> Account:
    async with runtime.db.session() as session:
        account = await repository.get(session, caller.workspace_id, account_id, is_test=caller.is_test)
    if account is None:
        raise NotFound(f"Account {account_id} not found")
    name = platform_info(account.platform).display_name
    try:
        account.credentials_encrypted = await _fresh_credentials(runtime, account)
        profile, updated = await _check(runtime, account)
    except (Transient, OutcomeUnknown, RateLimited) as exc:
        raise ValidationFailed.of([f"could not reach {name} at {account.base_url}: {exc.message}"]) from None
    except AdapterError as exc:
        log.info("account refused on verify: %s", exc.message, extra={"account_id": account.id})
        return await _save(runtime, account, accepted=None)
    return await _save(runtime, account, accepted=profile, updated=updated)


async def _fresh_credentials(runtime: Runtime, account: Account) -> str:
    app = runtime.oauth_app(account.platform)
    if app is None or account.is_test:
        return account.credentials_encrypted
    if not expires_soon(runtime.cipher.decrypt(account.credentials_encrypted), utcnow()):
        return account.credentials_encrypted
    return await refreshed(runtime, app, account.id, account.credentials_encrypted)


async def _check(runtime: Runtime, account: Account) -> tuple[Profile, str | None]:
    """The platform's profile for the account, and its credentials (encrypted) where the adapter opened a new
    session on them (Bluesky, Ziik)."""
    adapter = adapter_for_account(runtime, account)
    try:
        profile = await adapter.verify()
        if isinstance(adapter, PersistsSession) and (learned := adapter.updated_credentials()):
            credentials = runtime.cipher.decrypt(account.credentials_encrypted)
            return profile, runtime.cipher.encrypt({**credentials, **learned})
        return profile, None
    finally:
        await adapter.aclose()


async def _save(runtime: Runtime, checked: Account, *, accepted: Profile | None, updated: str | None = None) -> Account:
    """``accepted`` None: the platform refused the credentials ``checked`` holds."""
    async with runtime.db.transaction() as session:
        account = await session.get(Account, checked.id)
        if account is None:  # removed while the platform answered
            raise NotFound(f"Account {checked.id} not found")
        if account.credentials_encrypted != checked.credentials_encrypted:
            # Refreshed or reconnected meanwhile: what was checked is no longer what is stored, so it decides nothing.
            return account
        was_active = account.is_active
        if accepted is None:
            account.is_active = False
            account.disconnected_at = account.disconnected_at or utcnow()
        else:
            account.username = accepted.username
            account.display_name = accepted.display_name
            account.avatar_url = accepted.avatar_url
            account.is_active = True
            account.disconnected_at = None
            if updated is not None:
                account.credentials_encrypted = updated
        session.add(account)
        await session.flush()
        if was_active != account.is_active:
            kind = EventType.ACCOUNT_CONNECTED if account.is_active else EventType.ACCOUNT_DISCONNECTED
            await record_account_event(session, kind, account)
    return account
