"""What both ColibriSM adapters share: the account on its site, connected one of two ways, and its session.

- ``{"username", "password"}``: the adapter logs in (``login``) and keeps the session it gets (stored with the
  account through ``updated_credentials``); an expired session is renewed with the refresh token the login gave,
  or by logging in again.
- ``{"session_id", "user_id"}``: a session taken from the site's app. The site's ``profile`` endpoint needs the
  user's id (and takes the session only as optional context, so it cannot vouch for it): the session is checked with
  ``get_chats``, the lightest call that needs a valid one, and the profile read by the id. Such a session cannot
  be renewed: once the site refuses it, the account must be reconnected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import Adapter, AdapterContext, Profile, Rejected
from adapters.colibri.site import ColibriSite
from adapters.http import path_segment

PASSWORD_LOGIN = frozenset({"username", "password"})
APP_SESSION = frozenset({"session_id", "user_id"})
CREDENTIAL_SHAPES = (PASSWORD_LOGIN, APP_SESSION)
NO_SITE = "https://your-colibrism-site.invalid"  # every account names its site; there is no default one


class ColibriAccountAdapter(Adapter):
    """Connecting (verify), renewing an expired session (RefreshesSession) and handing back what was learned
    (PersistsSession); the timeline and the messages adapters add what they publish."""

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self.site = ColibriSite(self.http, self.base_url, self.credentials, timeout=context.request_timeout)

    async def verify(self) -> Profile:
        if self.site.can_log_in:
            return profile_of(await self.site.login())
        await self.site.get("get_chats", action="session check")
        return profile_of(await self.user(self.credentials.get("user_id", "")))

    async def user(self, user_id: str) -> Mapping[str, Any]:
        """A user's profile data (``profile``); Rejected naming the id when the site has no such user."""
        try:
            envelope = await self.site.get("profile", action="profile", params={"user_id": user_id})
        except Rejected as exc:
            raise Rejected(f"ColibriSM has no user {user_id!r} ({exc.message})") from None
        data = envelope.data
        if not isinstance(data, Mapping) or data.get("id") is None:
            raise Rejected(f"ColibriSM answered without the profile of user {user_id!r}")
        return data

    async def refresh(self) -> Mapping[str, str] | None:
        """RefreshesSession: called once the site refused the session (never ahead of time)."""
        await self.site.renew()
        return self.site.updated_credentials()

    def updated_credentials(self) -> Mapping[str, str] | None:
        return self.site.updated_credentials()

    def conversation_url(self, username: str) -> str:
        return f"{self.base_url}/conversation/@{path_segment(username)}"


def profile_of(user: Mapping[str, Any]) -> Profile:
    """A Profile from the site's user data (login's ``data``, ``profile``'s ``data``)."""
    user_id = user.get("id")
    username = non_empty_text(user.get("user_name")) or non_empty_text(user.get("username"))
    if user_id is None or not str(user_id).strip() or username is None:
        raise Rejected("ColibriSM answered without the user's id and username")
    names = [non_empty_text(user.get(k)) for k in ("first_name", "last_name")]
    display = " ".join(n for n in names if n) or non_empty_text(user.get("name"))
    return Profile(
        platform_user_id=str(user_id).strip(),
        username=username.lstrip("@"),
        display_name=display,
        avatar_url=non_empty_text(user.get("avatar")),
    )
