"""How the site answers: HTTP 200 with the real status in the body's ``code`` (``ok``, ``fail``), its answer to an
endpoint it does not have, and the front web server's own HTML error page."""

from __future__ import annotations

from typing import Any

from tests.fakes.http import Response

ERROR = "An error occurred while processing your request. Please try again later."


def ok(data: Any = None, message: str = "", **more: Any) -> Response:
    return Response(200, {"code": 200, "message": message, "data": [] if data is None else data, **more})


def fail(code: int, message: str, **more: Any) -> Response:
    return Response(200, {"code": code, "message": message, "data": [], **more})


def error_page(status: int) -> Response:
    page = f"<html><body><h1>{status}</h1><p>The server could not complete the request.</p></body></html>"
    return Response(status, page.encode(), {"content-type": "text/html"})


def invalid_endpoint() -> Response:
    """No such endpoint on the site (or one this site lacks)."""
    return Response(200, {"status": "400", "err_code": "invalid_endpoint"})
