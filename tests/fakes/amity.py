"""Scaffold: replaced by the strict fake."""

from __future__ import annotations

from tests.fakes.core import FakePlatform, Route


class FakeAmity(FakePlatform):
    def routes(self) -> dict[tuple[str, str], Route]:
        return {}
