"""Reading what a platform answered (or failed to): shared by the adapters that talk to it over httpx."""

from __future__ import annotations

from typing import Any

import httpx

# httpx errors raised before the request reached the platform (no connection was made): always safe to retry.
HTTPX_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def non_empty_text(value: Any) -> str | None:
    """A field of a JSON answer that should be text: the string, or None when it is missing, empty or not text."""
    return value if isinstance(value, str) and value else None
