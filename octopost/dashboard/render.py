"""Rendering a dashboard page: the base context every template gets, flash messages, and redirects after forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from octopost.dashboard.access import csrf_token_of, signed_in_caller
from octopost.dashboard.cookies import cleared_flash_cookie, flash_cookie, flash_of
from octopost.keys.scopes import allows


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    scope: str  # shown only to keys that may read it


NAV = (
    NavItem("Calendar", "/app", "posts:read"),
    NavItem("Posts", "/app/posts", "posts:read"),
    NavItem("Compose", "/app/compose", "posts:write"),
    NavItem("Accounts", "/app/accounts", "accounts:read"),
    NavItem("Webhooks", "/app/webhooks", "webhooks:read"),
)


def _current(item: NavItem, path: str) -> bool:
    return path == item.href if item.href == "/app" else path == item.href or path.startswith(item.href + "/")


def base_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    caller = signed_in_caller(request)
    path = request.url.path
    nav = [
        {"label": item.label, "href": item.href, "current": _current(item, path)}
        for item in NAV
        if caller is not None and allows(caller.scopes, item.scope)
    ]
    return {
        "caller": caller,
        "sandbox": caller is not None and caller.is_test,
        "csrf_token": csrf_token_of(request),
        "nav": nav,
        "flash": flash_of(request),
        "path": path,
    }


def render(
    request: Request[Any, Any, Any], template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Template:
    """``template`` (under octopost/dashboard/templates/) with the base context and ``context`` on top."""
    full = {**base_context(request), **(context or {})}
    cookies = [cleared_flash_cookie(request)] if full["flash"] else None  # shown once
    return Template(template_name=template, context=full, status_code=status_code, cookies=cookies)


def redirect(request: Request[Any, Any, Any], to: str, message: str | None = None, *, kind: str = "ok") -> Redirect:
    """303 to ``to`` (a path under /app) after a form; ``message`` is shown once on the page it lands on.
    ``kind`` is "ok" or "error"."""
    cookies = [flash_cookie(request, message, kind)] if message else None
    return Redirect(to, status_code=303, cookies=cookies)
