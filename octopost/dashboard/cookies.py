"""The dashboard's cookies: the sealed session and a one-shot flash message (HttpOnly, SameSite=Strict, /app)."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from octopost.dashboard.session import COOKIE, COOKIE_PATH, Session, SessionSeal, seal_for
from octopost.runtime import Runtime

FLASH_COOKIE = "octopost_flash"
_FLASH_SECONDS = 120  # long enough to survive the redirect that follows a form, short enough to never linger


def runtime_of(request: Request[Any, Any, Any]) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def seal_of(request: Request[Any, Any, Any]) -> SessionSeal:
    return seal_for(runtime_of(request).settings.secret_key_material())


def _cookie(request: Request[Any, Any, Any], key: str, value: str | None, *, max_age: int | None = None) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=runtime_of(request).settings.public_url.startswith("https://"),
        max_age=max_age,
    )


def session_of(request: Request[Any, Any, Any]) -> Session | None:
    """The session the browser presented (None when absent or not ours), opened once per request."""
    state = request.scope["state"]
    if "dashboard_session" not in state:
        state["dashboard_session"] = seal_of(request).open(request.cookies.get(COOKIE))
    found: Session | None = state["dashboard_session"]
    return found


def session_cookie(request: Request[Any, Any, Any], session: Session) -> Cookie:
    return _cookie(request, COOKIE, seal_of(request).seal(session))


def cleared_session_cookie(request: Request[Any, Any, Any]) -> Cookie:
    return _cookie(request, COOKIE, "", max_age=0)


def flash_cookie(request: Request[Any, Any, Any], message: str, kind: str) -> Cookie:
    sealed = seal_of(request).seal_data({"flash": {"message": message, "kind": kind}})
    return _cookie(request, FLASH_COOKIE, sealed, max_age=_FLASH_SECONDS)


def cleared_flash_cookie(request: Request[Any, Any, Any]) -> Cookie:
    return _cookie(request, FLASH_COOKIE, "", max_age=0)


def flash_of(request: Request[Any, Any, Any]) -> dict[str, str] | None:
    data = seal_of(request).open_data(request.cookies.get(FLASH_COOKIE), ttl=_FLASH_SECONDS)
    flash = data.get("flash") if data else None
    if isinstance(flash, dict) and isinstance(flash.get("message"), str):
        return {"message": flash["message"], "kind": str(flash.get("kind", "ok"))}
    return None


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
