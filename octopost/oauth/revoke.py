"""A disconnect tells the platform too: the account's OAuth tokens are revoked (RFC 7009) where the platform has
the endpoint, so a removed account leaves no live grant behind. Best effort: the account is removed here whatever
the platform answers (the user asked to disconnect; a platform that is down must not keep the account)."""

from __future__ import annotations

import logging

from adapters.base import AdapterError
from octopost.accounts.tables import Account
from octopost.oauth.client import TokenClient
from octopost.runtime import Runtime

log = logging.getLogger("octopost.oauth")


async def revoke_tokens(runtime: Runtime, account: Account) -> bool:
    """True when the platform confirmed; False when there was nothing to revoke or it could not be done."""
    app = runtime.oauth_app(account.platform)
    if app is None or app.revoke_url is None or account.is_test:
        return False
    credentials = runtime.cipher.decrypt(account.credentials_encrypted)
    token, hint = credentials.get("refresh_token"), "refresh_token"
    if not token:
        token, hint = credentials.get("access_token"), "access_token"
    if not token:
        return False
    try:
        await TokenClient(app, runtime.http).revoke(token, hint)
    except AdapterError as exc:
        log.warning("token revocation failed: %s", exc.message, extra={"account_id": account.id})
        return False
    return True
