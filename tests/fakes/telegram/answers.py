"""The Bot API's answers: ``{"ok": true, "result": ...}``, or ``{"ok": false, "error_code", "description",
"parameters"}`` with the HTTP status equal to ``error_code``; and the shared conditions' fault answers reshaped into
them (a flood limit's wait is ``parameters.retry_after``; Telegram promises no Retry-After header, so none is sent)."""

from __future__ import annotations

from typing import Any

from tests.fakes.http import Response


class Refusal(Exception):
    """Raised by a handler: answer this failure."""

    def __init__(self, status: int, description: str, **parameters: int) -> None:
        super().__init__(description)
        self.response = error(status, description, **parameters)


def ok(result: Any) -> Response:
    return Response(200, {"ok": True, "result": result})


def error(status: int, description: str, **parameters: int) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(status, body)


def bad_request(problem: str, **parameters: int) -> Refusal:
    return Refusal(400, f"Bad Request: {problem}", **parameters)


UNAUTHORIZED = error(401, "Unauthorized")
NOT_FOUND = error(404, "Not Found")  # an unknown method, or a token of the wrong shape


def telegram_shaped(response: Response) -> Response:
    """The core's answers that are not Telegram's (its faults, its unknown route) as Telegram words them."""
    body = response.body
    if (isinstance(body, dict) and "ok" in body) or response.status < 400:
        return response
    if response.status == 429:
        retry = int(float(response.headers.get("retry-after", "1")))
        return error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
    if response.status == 404:
        return NOT_FOUND
    if response.status >= 500:
        return error(response.status, "Internal Server Error")
    return error(response.status, f"Bad Request: {body}")
