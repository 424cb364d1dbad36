"""Signing in and who is who: ``login`` and ``refresh_access_token`` (their fields and answers are not documented;
a refresh logs the user's other sessions out) and ``profile``."""

from __future__ import annotations

import secrets

from tests.fakes.colibri.answers import fail, ok
from tests.fakes.colibri.calls import Call
from tests.fakes.colibri.state import ColibriSite
from tests.fakes.colibri.users import USERS, User, user_json
from tests.fakes.http import Response


class SessionEndpoints(ColibriSite):
    async def _login(self, call: Call) -> Response:
        user = next((u for u in USERS.values() if u.username == call.fields.get("username")), None)
        if user is None or not user.password or call.fields.get("password") != user.password:
            return fail(400, "Incorrect credentials")
        return self._new_session(user, "User logged in successfully")

    async def _refresh(self, call: Call) -> Response:
        user_id = self.refresh_tokens.pop(call.fields.get("refresh_token", ""), None)
        if user_id is None:
            return fail(400, "Refresh token is missing or invalid")
        self.stats["refreshes"] += 1
        for session in [s for s, owner in self.sessions.items() if owner == user_id]:  # other sessions: logged out
            del self.sessions[session]
        return self._new_session(USERS[user_id], "Access token refreshed successfully")

    def _new_session(self, user: User, message: str) -> Response:
        session, refresh = secrets.token_hex(24), secrets.token_hex(24)
        self.sessions[session] = user.id
        self.refresh_tokens[refresh] = user.id
        return ok(user_json(user), message, auth={"session_id": session, "refresh_token": refresh})

    async def _profile(self, call: Call) -> Response:
        user = USERS.get(int(call.fields["user_id"])) if call.fields.get("user_id", "").isdigit() else None
        if user is None:
            return fail(400, "User ID is missing or invalid", err_code="invalid_request_data")
        visitor = call.user.id if call.user else 0
        data = {
            **user_json(user),
            "is_blocked_visitor": visitor in user.blocked,
            "is_following": False,
            "can_view_profile": True,
            "profile_privacy": "everyone",
            "member_since": "Sep 2020",
        }
        return ok(data, "Profile fetched successfully")
