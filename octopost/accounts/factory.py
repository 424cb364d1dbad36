"""Builds a platform adapter for a stored account (decrypting its credentials) or for new credentials.

Test mode is decided here: a test account, or any account publishing a test post, gets the sandbox adapter
(the platform's real limits, fake ids, no network), never the real one. Which class serves a platform is the
runtime's ``adapter_class`` (the registry by default; tests put scripted adapters there to drive the publisher's
reactions in-process).
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.base import Adapter, AdapterContext
from octopost.accounts.tables import Account
from octopost.runtime import Runtime


def adapter_for(
    runtime: Runtime,
    platform: str,
    base_url: str,
    credentials: Mapping[str, str],
    *,
    sandbox: bool = False,
    username: str | None = None,
) -> Adapter:
    cls = runtime.adapter_class(platform, sandbox)
    app = runtime.oauth_app(platform)
    # Both HTTP stacks go through the network guard, which checks every new connection (not just this URL, once)
    # and connects to the address it checked: httpx via runtime.http, requests-based SDKs via sync_transport
    # (the process's pool: connections stay open from one target to the next).
    return cls(
        AdapterContext(
            base_url=base_url,
            credentials=credentials,
            http=runtime.http,
            sync_transport=runtime.sync_transport,
            username=username,
            app=app.context() if app is not None else {},
        )
    )


def adapter_for_account(runtime: Runtime, account: Account, *, sandbox: bool = False) -> Adapter:
    return adapter_for(
        runtime,
        account.platform,
        account.base_url,
        runtime.cipher.decrypt(account.credentials_encrypted),
        sandbox=sandbox or account.is_test,
        username=account.username,
    )
