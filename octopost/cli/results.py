"""A post's outcome per platform, as rows: platform, status, link to the live post, error and its category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table

from octopost.cli.output import escape, table

SETTLED = ("published", "failed")
_STYLE = {"published": "green", "failed": "red", "unconfirmed": "yellow"}


@dataclass(frozen=True)
class PlatformRow:
    platform: str
    status: str
    link: str
    error: str
    category: str

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "unconfirmed")


def rows(post: dict[str, Any]) -> list[PlatformRow]:
    results = post.get("platform_results") or {}
    found = []
    for platform in post.get("platforms") or sorted(results):
        result = results.get(platform)
        if result is None:  # not finished there yet: the post's own status says where it is
            found.append(PlatformRow(platform, str(post.get("status", "")), "", "", ""))
            continue
        status = "published" if result.get("success") else result.get("status") or "failed"
        found.append(
            PlatformRow(
                platform=platform,
                status=status,
                link=result.get("post_url") or "",
                error=result.get("error") or "",
                category=result.get("error_category") or "",
            )
        )
    return found


def settled(post: dict[str, Any]) -> bool:
    """Every platform has its outcome (the post is published or failed and no platform is still on its way)."""
    results = post.get("platform_results") or {}
    return post.get("status") in SETTLED and all(p in results for p in post.get("platforms") or [])


def results_table(post: dict[str, Any], title: str | None = None) -> Table:
    grid = table("PLATFORM", "STATUS", "LINK", "ERROR", title=title)
    for row in rows(post):
        style = _STYLE.get(row.status, "cyan")
        error = f"{row.error} [{row.category}]" if row.category else row.error
        grid.add_row(row.platform, f"[{style}]{row.status}[/]", escape(row.link) or "-", escape(error) or "-")
    return grid
