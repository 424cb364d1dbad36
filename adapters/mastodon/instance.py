"""An instance's own limits: read from its instance document (v2, else v1), cached per instance base URL."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from mastodon.errors import MastodonDeprecationWarning

from adapters.base import TextCounting, TextRules

T = TypeVar("T")

_TEXT_RULES_TTL = 3600.0


class TtlCache(Generic[T]):
    """A tiny per-key cache with expiry; the clock is injectable so tests need no sleeps."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, T]] = {}

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return value

    def put(self, key: str, value: T) -> None:
        self._entries[key] = (self._clock() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()


# Per instance base URL: the limit is the instance's, not the account's, and validation asks often.
TEXT_RULES: TtlCache[TextRules] = TtlCache(_TEXT_RULES_TTL)


def clear_text_rules_cache() -> None:
    """Forget every instance's cached text rules (tests that fake an instance's limits use this)."""
    TEXT_RULES.clear()


def statuses_of(instance: Any) -> Mapping[str, Any] | None:
    """``configuration.statuses`` of an instance document, when it states a status limit."""
    statuses = dig(instance, "configuration", "statuses")
    return dict(statuses) if positive_int(dig(statuses, "max_characters")) else None


def statuses_of_v1(instance: Any) -> Mapping[str, Any]:
    """The v1 document's limits; Pleroma and Akkoma call the status limit ``max_toot_chars``."""
    statuses = dig(instance, "configuration", "statuses") or {}
    return {"max_characters": dig(instance, "max_toot_chars"), **statuses}


def text_rules_from(statuses: Mapping[str, Any], default: TextRules) -> TextRules:
    return TextRules(
        max_chars=positive_int(dig(statuses, "max_characters")) or default.max_chars,
        counting=TextCounting.MASTODON,
        url_length=positive_int(dig(statuses, "characters_reserved_per_url")) or default.url_length,
    )


def quietly(method: Callable[[], T]) -> Callable[[], T]:
    """Call ``method`` without MastodonDeprecationWarning: v1 instance is deprecated, and we only use it
    as the fallback for servers without v2 (Mastodon.py silences it the same way internally; the filter is
    process-wide for that moment, which at worst hides another thread's deprecation warning)."""

    def call() -> T:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MastodonDeprecationWarning)
            return method()

    return call


def dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def positive_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
