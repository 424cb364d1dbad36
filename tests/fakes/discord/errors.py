"""Discord's error bodies (``{"code", "message", "errors"}``), and the fault answers reshaped to look like Discord's."""

from __future__ import annotations

from typing import Any

from tests.fakes.http import Response


def error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return Response(status, body)


def invalid(field_path: str, code: str, message: str) -> Response:
    """50035 Invalid Form Body with the field's error nested the way Discord nests it (``a.0.b``)."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field_path.split(".")):
        errors = {part: errors}
    return error(400, 50035, "Invalid Form Body", errors)


UNAUTHORIZED = error(401, 0, "401: Unauthorized")


def discord_shaped(response: Response) -> Response:
    """The shared conditions answer faults in a generic shape; Discord's 429 and 5xx bodies look like this."""
    body = response.body if isinstance(response.body, dict) else {}
    if response.status == 429 and "retry_after" not in body:
        retry = float(response.headers.get("retry-after", "1"))
        limited = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
        return Response(429, limited, response.headers)
    if response.status >= 500 and "code" not in body:
        return Response(response.status, {"code": 0, "message": f"{response.status}: Internal Server Error"})
    return response
