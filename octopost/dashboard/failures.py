"""How the dashboard answers failures: pages for people, the API's envelope for the scripts under /app/api/."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect
from litestar.types import ExceptionHandlersMap

from octopost.dashboard.access import CsrfRefused, SignInRequired
from octopost.dashboard.cookies import cleared_session_cookie, flash_cookie
from octopost.dashboard.render import render
from octopost.errors import DomainError, domain_error_handler, envelope, http_exception_handler
from octopost.errors import validation_exception_handler as api_validation_handler

API_PREFIX = "/app/api/"
_TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 409: "Conflict", 422: "Please check the form"}


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(API_PREFIX)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a dashboard path only (never another site)."""
    if value and value.startswith("/app") and not value.startswith("/app/login") and "//" not in value:
        return value
    return "/app"


def _page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    title = _TITLES.get(status, "Something went wrong")
    return render(request, "error.html", {"title": title, "message": message, "status": status}, status_code=status)


def sign_in_required(request: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    if _is_api(request):
        return envelope(401, exc.message or "Sign in to the dashboard first", "unauthorized")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = "/app/login" if request.method != "GET" else f"/app/login?next={quote(safe_next(target), safe='/')}"
    cookies = [flash_cookie(request, exc.message, "error")] if exc.message else []
    if exc.message:
        cookies.append(cleared_session_cookie(request))  # the key stopped working: forget it
    return Redirect(login, status_code=303, cookies=cookies)


def csrf_refused(request: Request[Any, Any, Any], _: CsrfRefused) -> Response[Any]:
    message = "This form expired or did not come from this dashboard, so nothing was done. Reload the page and retry."
    if _is_api(request):
        return envelope(403, "Missing or invalid X-CSRF-Token header; nothing was done", "forbidden")
    return _page(request, 403, message)


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if _is_api(request):
        return domain_error_handler(request, exc)
    return _page(request, exc.status_code, exc.message)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if _is_api(request):
        if isinstance(exc, ValidationException):
            return api_validation_handler(request, exc)
        return http_exception_handler(request, exc)
    status = exc.status_code if 400 <= exc.status_code < 600 else 500
    message = "There is no such page." if status == 404 else str(exc.detail)
    return _page(request, status, message)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    SignInRequired: sign_in_required,
    CsrfRefused: csrf_refused,
    DomainError: domain_error,
    HTTPException: http_error,
}
