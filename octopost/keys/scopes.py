"""Key scopes: what a restricted key may do. A key without scopes has full access.

A route declares the scope it needs in its ``opt`` (``opt={"scope": "posts:write"}`` on a handler, or on a
controller with handlers overriding it); the ``caller`` dependency checks it. ``<resource>:write`` includes
``<resource>:read``. A route that declares nothing is open to full-access keys only, so a new route is never
reachable by a restricted key by accident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from octopost.errors import Forbidden

SCOPES = (
    "posts:read",
    "posts:write",
    "accounts:read",
    "accounts:write",
    "webhooks:read",
    "webhooks:write",
    "presets:read",
    "presets:write",
    "media:read",
    "media:write",
)
ROUTE_OPT = "scope"  # the key of a route's opt that names the scope it needs


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes, deduplicated in the canonical order; ValueError naming any unknown one."""
    wanted = set(scopes)
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(unknown)}; valid scopes: {', '.join(SCOPES)}")
    return [scope for scope in SCOPES if scope in wanted]


def allows(granted: Iterable[str], needed: str | None) -> bool:
    granted = set(granted)
    if not granted:
        return True  # no scopes: full access
    if needed is None:
        return False
    resource, _, action = needed.partition(":")
    return needed in granted or (action == "read" and f"{resource}:write" in granted)


def require_scope(granted: tuple[str, ...], route_opt: Mapping[str, Any]) -> None:
    """Forbidden (403) unless a key with ``granted`` scopes may call a route with this ``opt``."""
    needed = route_opt.get(ROUTE_OPT)
    if allows(granted, needed):
        return
    details = {"required_scope": needed, "key_scopes": list(granted)}
    if needed is None:
        raise Forbidden("This route needs an API key with full access (no scopes)", details)
    raise Forbidden(f"This API key lacks the {needed} scope", details)
