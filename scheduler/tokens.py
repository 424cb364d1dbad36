"""Fresh tokens for the account a target publishes through.

Two moments: before the first call, a token that expires within a few minutes is refreshed (a thread of uploads
can outlast it); and when the platform answers AuthExpired, the publisher refreshes once and retries. An OAuth
account refreshes through the operator's app (octopost/oauth/refresh.py: a compare-and-swap, so racing workers
keep the newest rotated token); a platform whose adapter refreshes its own session (Bluesky, Ziik) does that. A
refresh that is refused (invalid_grant) raises ReauthRequired: the account must be reconnected.
"""

from __future__ import annotations

import logging

from adapters.base import AdapterError, RateLimited, RefreshesSession, Transient
from octopost.accounts.factory import adapter_for_account
from octopost.db import utcnow
from octopost.oauth.apps import OAuthApp
from octopost.oauth.refresh import expires_soon, is_expired, refreshed, renew_due
from scheduler import outcome
from scheduler.reactions import Run

log = logging.getLogger("octopost.scheduler")


async def refresh_ahead(run: Run) -> None:
    """Before the first call: refresh an OAuth token about to expire. Where the token endpoint cannot be reached
    right now, a token that is still valid is used as it is (the AuthExpired path refreshes later if need be)."""
    app = run.runtime.oauth_app(run.account.platform)
    if app is None or run.sandbox:  # a sandbox adapter never calls the platform: no token to keep fresh
        return
    credentials = run.runtime.cipher.decrypt(run.account.credentials_encrypted)
    now = utcnow()
    renews_itself = app.spec.renew_before_expiry_days is not None and isinstance(run.adapter, RefreshesSession)
    if renews_itself and renew_due(credentials, now, app.spec.renew_before_expiry_days):
        refresh = _renew(run)
    elif not renews_itself and expires_soon(credentials, now):
        refresh = _refresh_oauth(run, app)
    else:
        return
    try:
        await refresh
    except (Transient, RateLimited) as exc:
        if is_expired(credentials, now):
            raise
        log.warning(
            "token refresh failed ahead of use; the current token is still valid: %s", exc.message, extra=run.context
        )


async def refresh_after_refusal(run: Run) -> bool:
    """After AuthExpired: refresh the account's tokens. False when it has no way to refresh (reconnect instead)."""
    if isinstance(run.adapter, RefreshesSession):
        await _renew(run)
        return True
    app = run.runtime.oauth_app(run.account.platform)
    credentials = run.runtime.cipher.decrypt(run.account.credentials_encrypted)
    if app is None or not credentials.get("refresh_token"):
        return False
    await _refresh_oauth(run, app)
    return True


async def _refresh_oauth(run: Run, app: OAuthApp) -> None:
    await _swap_in(run, await refreshed(run.runtime, app, run.account.id, run.account.credentials_encrypted))


async def _swap_in(run: Run, encrypted: str) -> None:
    """Publish from here on with the refreshed credentials: a new adapter on them replaces (and closes) the old."""
    if encrypted == run.account.credentials_encrypted:
        return
    run.account.credentials_encrypted = encrypted
    old, run.adapter = run.adapter, adapter_for_account(run.runtime, run.account, sandbox=run.sandbox)
    try:
        await old.aclose()
    except AdapterError:  # closing never decides a publish
        log.warning("closing the adapter of the expired token failed", extra=run.context)
    log.info("token refreshed", extra=run.context)


async def _renew(run: Run) -> None:
    """The adapter renews its own session (Bluesky, Ziik, Meta's long-lived tokens) and goes on with it: save what
    it returns with the account."""
    assert isinstance(run.adapter, RefreshesSession)
    updated = await run.adapter.refresh()
    if updated:
        run.account.credentials_encrypted = run.runtime.cipher.encrypt(dict(updated))
        await outcome.save_credentials(run.db, run.account.id, run.account.credentials_encrypted)
