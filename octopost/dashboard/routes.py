"""Everything under /app as one router: the pages (sessions, CSRF, HTML failures) and the static files.

A new dashboard page is a handler or controller added to ``PAGES``.
"""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from octopost.dashboard.access import csrf_guard, provide_dashboard_caller
from octopost.dashboard.accounts import AccountPages, connected
from octopost.dashboard.calendar import CalendarController
from octopost.dashboard.compose import ComposeController
from octopost.dashboard.compose_api import COMPOSE_API
from octopost.dashboard.failures import EXCEPTION_HANDLERS
from octopost.dashboard.posts import PostPages
from octopost.dashboard.signin import SignInController
from octopost.dashboard.templating import STATIC, STATIC_PATH
from octopost.dashboard.webhooks import WebhookPages

PAGES: list[Any] = [SignInController, CalendarController, PostPages, AccountPages, connected, WebhookPages]
PAGES += [ComposeController, *COMPOSE_API]

# Pages load only what this app serves; no other site may frame them. (No form-action: connecting an account
# posts a form that redirects to the platform's own authorization screen.)
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_HEADERS = [
    ResponseHeader(name="Content-Security-Policy", value=_CSP),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="Referrer-Policy", value="same-origin"),
    ResponseHeader(name="X-Frame-Options", value="DENY"),
]
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def dashboard_router() -> Router:
    pages = Router(
        path="/",
        route_handlers=PAGES,
        dependencies={"caller": Provide(provide_dashboard_caller)},  # the session's key instead of a bearer one
        guards=[csrf_guard],
        exception_handlers=EXCEPTION_HANDLERS,
        response_headers=_HEADERS,
        cache_control=CacheControlHeader(no_store=True),  # pages show a workspace's data: never cached
        opt={"also_accepts": _FORMS},  # forms post urlencoded bodies (the API takes JSON only)
        include_in_schema=False,
    )
    static = create_static_files_router(
        path=STATIC_PATH.removeprefix("/app"),
        directories=[STATIC],
        cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True),  # URLs carry the file's digest
        name="dashboard-static",
    )
    return Router(path="/app", route_handlers=[pages, static], include_in_schema=False)
