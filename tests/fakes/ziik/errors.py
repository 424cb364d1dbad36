"""Ziik's documented error envelope (``{"error": {"code", "message", "is_ziik_error"}}``, ``errors`` per field on a
422), the storage's S3 XML errors, and the shared faults re-shaped into them."""

from __future__ import annotations

from typing import Any

from tests.fakes.http import Response


def error(
    status: int,
    code: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    envelope: dict[str, Any] = {"code": code, "message": message, "is_ziik_error": status < 500}
    if errors:
        envelope["errors"] = errors
    return Response(status, {"error": envelope}, headers or {})


def s3_error(status: int, code: str, message: str) -> Response:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(status, xml.encode(), {"content-type": "application/xml"})


# Ziik's documented statuses, with the fake's codes (Ziik documents the envelope and the statuses, not its codes).
_STATUS_ERRORS = {
    400: ("bad_request", "Bad Request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "The specified content could not be found"),
    405: ("method_not_allowed", "Method Not Allowed"),
    406: ("not_acceptable", "Not Acceptable"),
    410: ("gone", "Gone"),
    422: ("validation_failed", "Unprocessable Entity"),
    429: ("too_many_requests", "Slow down!"),
    503: ("service_unavailable", "Service Unavailable"),
}


def ziik_shaped(path: str, response: Response) -> Response:
    """The shared faults (and a route the fake lacks) answer in a generic shape; Ziik's look like this."""
    body = response.body
    if response.status < 400 or (isinstance(body, dict) and isinstance(body.get("error"), dict)):
        return response
    if path.startswith("/storage/"):
        return response if isinstance(body, bytes) else s3_error(response.status, "InternalError", "injected")
    code, message = _STATUS_ERRORS.get(response.status, ("server_error", "Internal Server Error"))
    return error(response.status, code, message, headers=response.headers)
