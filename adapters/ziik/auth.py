"""Ziik's sessions (docs.ziik.io, "Authentication"): ``POST /authenticate`` with ``{"username", "password"}`` answers
``[{"jwt": "<token>", "expires": <unix time>}]``; every other call carries ``Authorization: Bearer <jwt>``; before
the token expires, ``POST /renew`` (with the token as its only credential) answers a new one in the same shape.

An account is connected with a username and password, or with a token alone. The session renews the token when it
expires within ``RENEW_MARGIN_SECONDS`` (its expiry read from the JWT's ``exp`` claim, or from the ``expires`` Ziik
answered), and logs in again with the password when renewing is refused. A token that can be neither renewed nor
replaced needs the account reconnected. A new token is handed back to be stored with the account
(``ZiikAdapter.updated_credentials``), so the next publish does not log in again.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from adapters.base import ReauthRequired, Secrets, Transient
from adapters.ziik.api import ZiikApi, data_of

# "Renew when it expires within a few minutes": enough for one publish with its uploads to finish on the token.
RENEW_MARGIN_SECONDS = 300.0
# What /authenticate answers a wrong username or password with (422, per Ziik; 400/401/403 are refusals as well).
_REFUSED_LOGIN = frozenset({400, 401, 403, 422})


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (Unix seconds) of a JWT, read without verifying it (only Ziik can); None when unreadable."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


class ZiikSession:
    """The account's current JWT, kept out of reprs (a ``Secrets``), and how to get a fresh one."""

    def __init__(
        self,
        api: ZiikApi,
        login_api: ZiikApi,
        credentials: Secrets,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._api = api  # carries this session's token
        self._login_api = login_api  # carries none: /authenticate takes the password alone
        self._credentials = credentials
        self._clock = clock
        self._current = Secrets({"token": credentials.get("token", "")})
        self._expires_at = jwt_expiry(self.token() or "")

    def token(self) -> str | None:
        return self._current.get("token") or None

    @property
    def can_log_in(self) -> bool:
        return bool(self._credentials.get("username") and self._credentials.get("password"))

    @property
    def expires_at(self) -> float | None:
        return self._expires_at

    def changed(self) -> bool:
        """True once the session holds another token than the one it was given (to be stored)."""
        return self.token() != (self._credentials.get("token") or None)

    async def ensure(self) -> None:
        """A token that outlives the next few minutes: logs in when there is none, renews one about to expire."""
        if self.token() is None:
            await self.log_in()
        elif self._expires_at is not None and self._expires_at - self._clock() < RENEW_MARGIN_SECONDS:
            await self.replace()

    async def replace(self) -> None:
        """A new token: renewed from the current one, else (renewal refused) from the password, else the account
        must be reconnected."""
        if self.token() is not None:
            refusal = await self._renew()
            if refusal is None:
                return
            if not self.can_log_in:
                raise ReauthRequired(
                    f"Ziik refused to renew the account's token ({refusal}){self._expiry_note()}; connect the "
                    "account again with a new token, or with the username and password"
                )
        await self.log_in()

    async def log_in(self) -> None:
        if not self.can_log_in:
            raise ReauthRequired("Ziik: the account has no token and no password to log in with; connect it again")
        username = self._credentials["username"]
        body = {"username": username, "password": self._credentials["password"]}
        answer = await self._login_api.exchange("POST", "/authenticate", action="login", json=body)
        if answer.status in _REFUSED_LOGIN:  # Ziik answers a wrong username or password with 422
            raise ReauthRequired(
                f"Ziik refused the username or password of {username!r} ({self._login_api.describe(answer)}); "
                "check them and connect the account again"
            )
        self._take(self._login_api.body_of(answer, action="login"), action="login")

    async def _renew(self) -> str | None:
        """Renews the token; what Ziik said when it refused to (an expired or revoked token), else None."""
        answer = await self._api.exchange("POST", "/renew", action="token renewal")
        if answer.status == 401:
            return self._api.describe(answer)
        self._take(self._api.body_of(answer, action="token renewal"), action="token renewal")
        return None

    def _take(self, grant: Any, *, action: str) -> None:
        found = data_of(grant)
        token = found.get("jwt")
        if not isinstance(token, str) or not token:
            raise Transient(f"Ziik answered the {action} without a token")
        expires = found.get("expires")
        self._current = Secrets({"token": token})
        # The token's own claim first; Ziik's "expires" beside it says the same where the claim is unreadable.
        answered = float(expires) if isinstance(expires, int | float) and not isinstance(expires, bool) else None
        self._expires_at = jwt_expiry(token) or answered

    def _expiry_note(self) -> str:
        if self._expires_at is None:
            return ""
        when = datetime.fromtimestamp(self._expires_at, UTC).isoformat(timespec="seconds")
        return f"; it expires at {when}" if self._expires_at > self._clock() else f"; it expired at {when}"
