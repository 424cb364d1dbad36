"""``ColibriSite``: what one site keeps (its quirks, sessions, drafts, posts and messages), emptied by
``POST /_fake/reset``. The endpoint groups (sessions.py, posts.py, messages.py) build on it; routes.py puts them
together."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.colibri.quirks import Quirks
from tests.fakes.colibri.users import ALICE, ALICE_SESSION
from tests.fakes.core import FakePlatform


class ColibriSite(FakePlatform):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._fresh()

    def _fresh(self) -> None:
        self.quirks = Quirks()
        self.sessions: dict[str, int] = {ALICE_SESSION: ALICE.id}
        self.expired: set[str] = set()
        self.refresh_tokens: dict[str, int] = {}
        self.drafts: dict[int, list[dict[str, Any]]] = {}
        self.posts: dict[int, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []
        self._post_ids, self._media_ids = itertools.count(13), itertools.count(4)
        self._message_ids = itertools.count(49)
