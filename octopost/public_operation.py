"""The OpenAPI operation of a route that takes no API key (health checks, the OAuth callback a browser follows)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import Operation


@dataclass
class PublicOperation(Operation):
    """Overrides the document's global BearerAuth requirement with none (Litestar's ``security=[]`` on a route
    leaves the global one in force)."""

    def __post_init__(self) -> None:
        self.security = []
