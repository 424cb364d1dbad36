"""One account's calls to a ColibriSM site's mobile API (``{base_url}/mobile_api/<endpoint>``), over the shared
platform client (adapters/http.py): form fields (multipart with a file), the ``session_id`` every call carries, the
body-code envelopes (envelope.py), and the session itself: logging in with a username and password, renewing an
expired session.

A session is renewed only once it has expired (a refused session on a call): the site's ``refresh_access_token``
rotates the refresh token and logs the user's other mobile sessions out, so it is never called ahead of time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from adapters.answers import non_empty_text
from adapters.base import AdapterError, AuthExpired, RateLimited, ReauthRequired, Rejected, Secrets
from adapters.colibri.envelope import Envelope, failure, read
from adapters.http import PlatformApi

API = "/mobile_api/"
# What connecting stores besides what the user gave: the session learned at login, its refresh token, the user.
LEARNED = ("session_id", "refresh_token", "user_id")
_HIDDEN = "[hidden]"


class ColibriSite(PlatformApi):
    """Each call returns the answer's envelope on success or raises one of the taxonomy's errors, naming the site."""

    name = "ColibriSM"

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, credentials: Secrets, *, timeout: float | None = None
    ) -> None:
        super().__init__(http, base_url, credentials, timeout=timeout)
        self._learned: dict[str, str] = {k: credentials[k] for k in LEARNED if credentials.get(k)}
        self.user: Mapping[str, Any] | None = None  # the user the last login answered with

    def __repr__(self) -> str:
        return f"ColibriSite(base_url={self.base_url!r})"

    # ---- who we are ------------------------------------------------------------------------------------

    @property
    def can_log_in(self) -> bool:
        return bool(self._credentials.get("username") and self._credentials.get("password"))

    @property
    def refreshable(self) -> bool:
        """An expired session can be replaced (with the refresh token or by logging in again)."""
        return self.can_log_in or "refresh_token" in self._learned

    @property
    def user_id(self) -> str | None:
        return self._learned.get("user_id")

    def updated_credentials(self) -> dict[str, str] | None:
        """The credentials with what was learned (a new session, its refresh token, the user id), if it changed."""
        merged = {**self._credentials, **self._learned}
        return merged if merged != dict(self._credentials) else None

    # ---- the calls ---------------------------------------------------------------------------------------

    async def post(
        self,
        endpoint: str,
        *,
        action: str,
        creates: bool = False,
        fields: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> Envelope:
        """A form post (multipart when ``files`` are given) with the session. ``creates``: it makes something on
        the site, so an answer lost or unreadable after it went out is OutcomeUnknown."""
        form = {"session_id": await self._session(), **(fields or {})}
        send: dict[str, Any] = {"data": form}
        if files:
            send["files"] = dict(files)
        return await self._call("POST", endpoint, action=action, creates=creates, **send)

    async def get(self, endpoint: str, *, action: str, params: Mapping[str, str] | None = None) -> Envelope:
        """A read: the site takes these parameters in the query string."""
        query = {"session_id": await self._session(), **(params or {})}
        return await self._call("GET", endpoint, action=action, params=query)

    # ---- the session -------------------------------------------------------------------------------------

    async def login(self) -> Mapping[str, Any]:
        """``login`` with the username and password: a new session (kept), and the user it belongs to."""
        if not self.can_log_in:
            raise ReauthRequired("ColibriSM: the account has no username and password to log in with; reconnect it")
        form = {"username": self._credentials["username"], "password": self._credentials["password"]}
        try:
            envelope = await self._call("POST", "login", action="login", data=form, refreshable=False)
        except (ReauthRequired, AuthExpired, Rejected) as exc:
            raise ReauthRequired(f"ColibriSM refused the username and password ({exc.message})") from None
        self._take_session(envelope, action="login")
        user = envelope.data if isinstance(envelope.data, Mapping) else {}
        user_id = user.get("id")
        if user_id is not None and str(user_id).strip():
            self._learned["user_id"] = str(user_id).strip()
        self.user = user
        return user

    async def renew(self) -> None:
        """A new session for an expired one: the refresh token when there is one, else (or when the site refuses
        it) logging in again."""
        refresh_token = self._learned.get("refresh_token")
        if refresh_token:
            try:
                envelope = await self._call(
                    "POST",
                    "refresh_access_token",
                    action="session refresh",
                    data={"refresh_token": refresh_token},
                    refreshable=False,
                )
            except (ReauthRequired, AuthExpired, Rejected):
                if not self.can_log_in:
                    raise ReauthRequired(
                        "ColibriSM refused the refresh token of an expired session; reconnect the account"
                    ) from None
            else:
                self._take_session(envelope, action="session refresh")
                return
        if not self.can_log_in:
            raise ReauthRequired(
                "ColibriSM: the session expired and the account has no password or refresh token to renew it; "
                "reconnect the account"
            )
        await self.login()

    async def _session(self) -> str:
        session = self._learned.get("session_id")
        if session is None:  # an account connected with a password whose session was never stored
            await self.login()
            session = self._learned.get("session_id", "")
        return session

    def _take_session(self, envelope: Envelope, *, action: str) -> None:
        """The session (and refresh token) an answer carries, under ``auth`` or ``data``."""
        places = [p for p in (envelope.body.get("auth"), envelope.data) if isinstance(p, Mapping)]
        session = next((s for p in places if (s := non_empty_text(p.get("session_id")))), None)
        if session is None:
            raise Rejected(f"ColibriSM {action}: the site's answer carried no session_id; connect with a session id")
        self._learned["session_id"] = session
        refresh_token = next((t for p in places if (t := non_empty_text(p.get("refresh_token")))), None)
        if refresh_token is not None:
            self._learned["refresh_token"] = refresh_token

    # ---- plumbing ------------------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        endpoint: str,
        *,
        action: str,
        creates: bool = False,
        refreshable: bool | None = None,
        **send: Any,
    ) -> Envelope:
        try:
            answer = await self.exchange(method, API + endpoint, action=action, creates=creates, **send)
        except AdapterError as exc:
            raise self._without_secrets(exc) from None
        envelope = read(answer, after_warnings=not creates)
        error = failure(
            answer,
            envelope,
            site=self.name,
            action=action,
            creates=creates,
            refreshable=self.refreshable if refreshable is None else refreshable,
        )
        if error is not None:
            raise self._without_secrets(error)
        assert envelope is not None  # failure() refuses an answer without one
        return envelope

    def _without_secrets(self, error: AdapterError) -> AdapterError:
        """The error with any secret of the account blanked out (an error text may quote a URL or a form)."""
        message = error.message
        secrets = [self._credentials.get("password"), *(self._learned.get(k) for k in ("session_id", "refresh_token"))]
        for secret in secrets:
            if secret and len(secret) >= 6 and secret in message:
                message = message.replace(secret, _HIDDEN)
        if message == error.message:
            return error
        if isinstance(error, RateLimited):
            return RateLimited(message, retry_after=error.retry_after)
        return type(error)(message)
