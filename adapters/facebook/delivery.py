"""Finding a segment the Page already posted: after a lost answer (FindsDelivery) or Graph's 506 "duplicate
post" on a retry (the first one landed). The Page's recent feed (or the main post's comments) is read for the
item with the same text from this Page; Graph has no idempotency key to ask by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.facebook.api import GraphApi
from adapters.http import path_segment

RECENT = "25"  # the newest items read: a retry follows its first try within minutes


async def post_with_text(api: GraphApi, page_id: str, text: str) -> tuple[str, str | None] | None:
    """(post id, permalink_url) of the newest Page post whose message is ``text``."""
    if not text.strip():
        return None
    answer = await api.read(
        f"/{path_segment(page_id)}/feed", action="feed lookup", fields="id,message,permalink_url", limit=RECENT
    )
    for item in _data(answer):
        if item.get("message") == text and non_empty_text(item.get("id")):
            return str(item["id"]), non_empty_text(item.get("permalink_url"))
    return None


async def comment_with_text(api: GraphApi, page_id: str, post_id: str, text: str) -> tuple[str, str | None] | None:
    answer = await api.read(
        f"/{path_segment(post_id)}/comments",
        action="comment lookup",
        fields="id,message,from,permalink_url",
        order="reverse_chronological",
        limit=RECENT,
    )
    for item in _data(answer):
        author = item.get("from")
        by_page = isinstance(author, Mapping) and str(author.get("id")) == page_id
        if by_page and item.get("message") == text and non_empty_text(item.get("id")):
            return str(item["id"]), non_empty_text(item.get("permalink_url"))
    return None


def _data(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = answer.get("data")
    return [item for item in data if isinstance(item, Mapping)] if isinstance(data, list) else []
