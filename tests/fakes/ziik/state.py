"""``ZiikState``: what the fake keeps (content items, upload tickets, the token serials and lifetime, injected
failures) and who is calling. The upload routes (uploads.py) build on it; routes.py puts everything together."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.core import FakePlatform
from tests.fakes.http import Request, Response
from tests.fakes.ziik import tokens
from tests.fakes.ziik.contents import Content, Ticket


class ZiikState(FakePlatform):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._reset_state()

    def _reset_state(self) -> None:
        self._contents: dict[int, Content] = {}
        self._tickets: dict[str, Ticket] = {}
        self._content_ids = itertools.count(1001)
        self._file_ids = itertools.count(5001)
        self._jtis = itertools.count(1)
        self._revoked_through = 0  # tokens with a jti up to this one are refused
        self._lifetime = 3600
        self._wrapped = False  # answer the created item as {"data": {...}}, as Ziik's older docs show it
        self._failures: list[dict[str, Any]] = []

    def _grant(self, lifetime: float) -> dict[str, Any]:
        return tokens.grant(next(self._jtis), lifetime)

    def _caller(self, request: Request) -> int | Response:
        return tokens.token_user(request.bearer(), self._revoked_through)
