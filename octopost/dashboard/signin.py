"""Signing in with an API key, and signing out."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from octopost.dashboard.access import CSRF_FIELD
from octopost.dashboard.cookies import cleared_session_cookie, session_cookie, session_of
from octopost.dashboard.failures import safe_next
from octopost.dashboard.render import redirect, render
from octopost.dashboard.session import Session
from octopost.errors import Unauthorized
from octopost.keys.service import caller_for
from octopost.runtime import Runtime

_MAX_KEY = 200


class SignInController(Controller):
    path = "/"

    @get("/login")
    async def login_page(self, request: Request[Any, Any, Any]) -> Response[Any]:
        return _login_form(request, next_path=safe_next(request.query_params.get("next")))

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], runtime: Runtime) -> Response[Any]:
        form = await request.form()
        key = str(form.get("api_key") or "").strip()
        next_path = safe_next(str(form.get("next") or ""))
        if not key or len(key) > _MAX_KEY:
            return _login_form(request, next_path=next_path, error="Enter an API key (oct_live_… or oct_test_…).")
        try:
            async with runtime.db.transaction() as db_session:
                await caller_for(db_session, key)
        except Unauthorized:
            return _login_form(request, next_path=next_path, error="That API key is not valid or was revoked.")
        return Redirect(next_path, status_code=303, cookies=[session_cookie(request, Session.signed_in(key))])

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        done = redirect(request, "/app/login", "You are signed out.")
        done.cookies.append(cleared_session_cookie(request))
        return done


def _login_form(request: Request[Any, Any, Any], *, next_path: str, error: str | None = None) -> Response[Any]:
    """The sign-in form. A visitor without a session gets one (without a key) so the form carries a CSRF token."""
    session = session_of(request)
    fresh = None
    if session is None:
        session = fresh = Session.anonymous()
        request.scope["state"]["dashboard_session"] = session
    page = render(
        request,
        "login.html",
        {"title": "Sign in", "next": next_path, "error": error, "csrf_field": CSRF_FIELD},
        status_code=401 if error else 200,
    )
    if fresh is not None:
        page.cookies.append(session_cookie(request, fresh))
    return page

