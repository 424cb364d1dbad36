"""Domain errors (raised by services) and the one place that turns any error into Octopost's envelope."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

log = logging.getLogger("octopost.errors")

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    409: "conflict",
    413: "bad_request",
    415: "bad_request",
    422: "validation_error",
    429: "rate_limited",
}


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class TooManyRequests(DomainError):
    status_code = 429
    code = "rate_limited"


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_error"

    @classmethod
    def of(cls, problems: list[str], message: str | None = None) -> ValidationFailed:
        return cls(message or "; ".join(problems), {"errors": problems})


class Problems:
    """Collects every problem of a request so the client sees them all in one 422."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed.of(self.items)


def envelope(
    status: int,
    message: str,
    code: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return Response(
        {"error": message, "code": code, "details": details or {}},
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers or None,
    )


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return envelope(exc.status_code, exc.message, exc.code, exc.details)


def validation_exception_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar's request-decoding failures: malformed JSON is 400, a body of the wrong shape is 422."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    if any(_is_missing_body(item) for item in extra):
        return envelope(400, "Request body is empty: send a JSON object", "bad_request")
    problems = [_describe_problem(item) for item in extra]
    if not problems or "malformed" in str(exc.detail).lower() or "decode" in str(exc.detail).lower():
        return envelope(400, f"Request body is not valid JSON: {exc.detail}", "bad_request")
    return envelope(422, "; ".join(problems), "validation_error", {"errors": problems})


def _is_missing_body(item: Any) -> bool:
    # Litestar reports an empty body as a KeyError of the body parameter: its message is just "'data'".
    return isinstance(item, dict) and item.get("key") == "data" and item.get("message") == "'data'"


def _describe_problem(item: Any) -> str:
    if isinstance(item, dict):
        message = str(item.get("message", "invalid"))
        key = item.get("key")
        return f"{key}: {message}" if key and key not in message else message
    return str(item)


def http_exception_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code = _CODE_BY_STATUS.get(status, "bad_request" if status < 500 else "internal_error")
    message = str(exc.detail)
    if status == 400:
        message = f"Malformed request: {message}"  # e.g. a body that is not valid JSON
    return envelope(status, message, code, headers=exc.headers)  # e.g. Allow on a 405 (RFC 9110)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return envelope(500, "Internal server error", "internal_error")


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "bad_request"


class ErrorBody(msgspec.Struct):
    """The documented error envelope (for the OpenAPI document)."""

    error: str
    code: str
    details: dict[str, Any]


_ERROR_DESCRIPTIONS = {
    400: "Malformed request (e.g. body is not JSON)",
    401: "Missing, unknown or revoked API key",
    403: "The API key lacks the scope this route needs (details.required_scope)",
    404: "No such object in this workspace",
    409: "The post's status does not allow this (or the request's Idempotency-Key is still in use)",
    415: "Body is not application/json",
    422: "Validation failed; details.errors lists every problem",
    429: "Rate limit of this API key exceeded; see Retry-After and details",
}


def error_responses(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI descriptions of the errors a route can answer (always with 400, 401, 403, 415 and 429)."""
    wanted = sorted({400, 401, 403, 415, 429, *codes})
    return {
        code: ResponseSpec(data_container=ErrorBody, description=_ERROR_DESCRIPTIONS[code], generate_examples=False)
        for code in wanted
    }
