"""Amity's error envelope (``{"status": "error", "code", "message", "data": {"detail": [...]}}``): the ``Refusal`` a
check raises, the route wrapper that answers it, and the shared faults re-shaped to look like Amity's."""

from __future__ import annotations

from typing import Any

from tests.fakes.core import Route
from tests.fakes.http import Request, Response


class Refusal(Exception):
    """Raised by a check: the answer Amity gives instead."""

    def __init__(self, status: int, code: int, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        body: dict[str, Any] = {"status": "error", "code": code, "message": message}
        if detail is not None:
            body["data"] = {"detail": [detail]}
        self.response = Response(status, body)


def bad(detail: str) -> Refusal:
    return Refusal(400, 400000, "Bad Request.", detail)


def invalid(detail: str) -> Refusal:
    """A parameter error, worded the way Amity's validator words it."""
    return Refusal(422, 500000, "Parameters error.", detail)


def not_found(message: str) -> Refusal:
    return Refusal(404, 400400, message)


def answering_refusals(route: Route) -> Route:
    async def answer(request: Request) -> Response:
        try:
            return await route(request)
        except Refusal as refusal:
            return refusal.response

    return answer


def amity_shaped(response: Response) -> Response:
    """The shared conditions (and the core's unknown route) answer in a generic shape; Amity's look like this."""
    body = response.body if isinstance(response.body, dict) else {}
    if body.get("status") == "error" or response.status < 400:
        return response
    if response.status == 429:
        return Response(429, {"status": "error", "code": 400311, "message": "RateLimit Exceed."}, response.headers)
    if response.status >= 500:
        return Response(response.status, {"status": "error", "code": 500000, "message": "Unexpected error"})
    if response.status == 404:
        return Response(404, {"status": "error", "code": 400400, "message": "Resource Not Found."})
    return response
