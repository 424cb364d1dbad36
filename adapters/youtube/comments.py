"""The thread as comments on the video (comment_on_main): the first later segment is a top-level comment
(commentThreads.insert), every one after it a reply to that comment (comments.insert with ``parentId``), found again
by listing the video's threads and taking the oldest one the channel wrote (the engine links each comment to the
main post only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import OutcomeUnknown, PublishedRef, Rejected
from adapters.youtube.api import DATA, YouTubeApi

MAX_COMMENT_CHARS = 10_000  # commentThreads/comments.insert refuse longer text (commentTextTooLong)


def comment_url(video_id: str, comment_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"


async def top_comment(api: YouTubeApi, video_id: str, text: str) -> PublishedRef:
    body = {"snippet": {"videoId": video_id, "topLevelComment": {"snippet": {"textOriginal": text}}}}
    return await _insert(api, "commentThreads", body, video_id, action="comment")


async def reply(api: YouTubeApi, video_id: str, parent_id: str, text: str) -> PublishedRef:
    body = {"snippet": {"parentId": parent_id, "textOriginal": text}}
    return await _insert(api, "comments", body, video_id, action="reply")


async def _insert(api: YouTubeApi, resource: str, body: Any, video_id: str, *, action: str) -> PublishedRef:
    made = await api.request(
        "POST", f"{DATA}/{resource}", action=action, creates=True, params={"part": "snippet"}, json=body
    )
    comment_id = non_empty_text(made.get("id")) if isinstance(made, Mapping) else None
    if comment_id is None:
        raise OutcomeUnknown(f"YouTube accepted the {action} but its answer carried no id")
    return PublishedRef(id=comment_id, url=comment_url(video_id, comment_id))


async def first_thread(api: YouTubeApi, video_id: str, channel_id: str) -> str:
    """The id of the oldest top-level comment ``channel_id`` wrote on the video (threads come newest first)."""
    params: dict[str, Any] = {"part": "snippet", "videoId": video_id, "order": "time", "maxResults": "100"}
    oldest: str | None = None
    while True:
        page = await api.request("GET", f"{DATA}/commentThreads", action="comment lookup", params=params)
        for thread in page.get("items") or []:
            if _author(thread) == channel_id:
                oldest = non_empty_text(thread.get("id")) or oldest
        token = non_empty_text(page.get("nextPageToken"))
        if token is None:
            break
        params["pageToken"] = token
    if oldest is None:
        raise Rejected(f"YouTube: the video {video_id} has no comment of this channel to reply under")
    return oldest


def _author(thread: Any) -> str | None:
    try:
        value = thread["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None
