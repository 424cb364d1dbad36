"""The YouTube fake's channel and comment methods (channels.list, commentThreads.insert/list, comments.insert/delete),
over the videos and comments ``FakeYouTube`` holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakes.core import Created
from tests.fakes.http import Request, Response
from tests.fakes.youtube.channel import COMMENT_SCOPE, Account, Comment, Video, google_error


class CommentRoutes:
    videos: dict[str, Video]
    comments: dict[str, Comment]
    _caller: Callable[..., Account | Response]
    _new_id: Callable[[str], str]
    record: Callable[[Created], None]

    async def _channels(self, request: Request) -> Response:
        account = self._caller(request, "channels", "list")
        if isinstance(account, Response):
            return account
        items = []
        if account.has_channel and request.param("mine") == "true":
            snippet = {
                "title": "Octopost Fake",
                "customUrl": "@octopostfake",
                "thumbnails": {"default": {"url": "https://yt3.ggpht.com/fake"}},
            }
            items.append({"kind": "youtube#channel", "id": account.channel_id, "snippet": snippet})
        return Response(
            200,
            {
                "kind": "youtube#channelListResponse",
                "items": items,
                "pageInfo": {"totalResults": len(items), "resultsPerPage": 5},
            },
        )

    async def _insert_thread(self, request: Request) -> Response:
        account = self._caller(request, "commentThreads", "insert", scope=COMMENT_SCOPE)
        if isinstance(account, Response):
            return account
        snippet = (request.json_object() or {}).get("snippet") or {}
        text = ((snippet.get("topLevelComment") or {}).get("snippet") or {}).get("textOriginal")
        refused = self._comment_refusal(snippet.get("videoId"), text)
        if refused is not None:
            return refused
        comment = self._add(Comment(self._new_id("Ugz"), account.channel_id, snippet["videoId"], str(text), None))
        return Response(200, comment.thread_json())

    async def _list_threads(self, request: Request) -> Response:
        account = self._caller(request, "commentThreads", "list", scope=COMMENT_SCOPE)
        if isinstance(account, Response):
            return account
        threads = [c for c in self.comments.values() if c.parent_id is None and c.video_id == request.param("videoId")]
        threads.reverse()  # order=time: the newest first
        size = int(request.param("maxResults") or 20)
        start = int(request.param("pageToken") or 0)
        page: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "items": [c.thread_json() for c in threads[start : start + size]],
        }
        if start + size < len(threads):
            page["nextPageToken"] = str(start + size)
        return Response(200, page)

    async def _insert_comment(self, request: Request) -> Response:
        account = self._caller(request, "comments", "insert", scope=COMMENT_SCOPE)
        if isinstance(account, Response):
            return account
        snippet = (request.json_object() or {}).get("snippet") or {}
        parent = self.comments.get(snippet.get("parentId") or "")
        if parent is None or parent.parent_id is not None:
            return google_error(
                404, "parentCommentNotFound", "The parent comment was not found (a reply answers a top-level comment)."
            )
        refused = self._comment_refusal(parent.video_id, snippet.get("textOriginal"))
        if refused is not None:
            return refused
        comment = self._add(
            Comment(self._new_id("Ugy"), account.channel_id, parent.video_id, snippet["textOriginal"], parent.id)
        )
        return Response(200, comment.as_json())

    def _comment_refusal(self, video_id: Any, text: Any) -> Response | None:
        if video_id not in self.videos:
            return google_error(404, "videoNotFound", "The video identified by the videoId parameter was not found.")
        if not isinstance(text, str) or not text.strip():
            return google_error(400, "commentTextRequired", "The comment must contain text.")
        if len(text) > 10_000:
            return google_error(400, "commentTextTooLong", "The comment resource contains too many characters.")
        return None

    def _add(self, comment: Comment) -> Comment:
        self.comments[comment.id] = comment
        reply_to = comment.parent_id or comment.video_id
        self.record(Created(comment.id, comment.account, comment.text, None, reply_to, 0.0))
        return comment

    async def _delete_comment(self, request: Request) -> Response:
        account = self._caller(request, "comments", "delete", scope=COMMENT_SCOPE)
        if isinstance(account, Response):
            return account
        comment = self.comments.pop(request.param("id") or "", None)
        if comment is None:
            return google_error(404, "commentNotFound", "The comment could not be found.")
        return Response(204, b"")
