"""``FakeFacebook``: the Graph API nodes and edges a Page's posting uses, strict where Graph is (see __init__); the
reads are here, the writes in writes.py, the shared checks in base.py."""

from __future__ import annotations

from typing import Any

from tests.fakes.core import Route
from tests.fakes.facebook.base import invalid, missing
from tests.fakes.facebook.exchange import TokenExchange
from tests.fakes.facebook.graph import PAGE_TOKENS, PAGES, USER_ID, USER_PAGES, Video
from tests.fakes.facebook.writes import PageWrites
from tests.fakes.http import Request, Response


class FakeFacebook(PageWrites, TokenExchange):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/oauth/access_token"): self._exchange_token,
            ("GET", "/me/accounts"): self._accounts,
            ("GET", "/{id}"): self._node,
            ("DELETE", "/{id}"): self._delete,
            ("GET", "/{id}/feed"): self._read_feed,
            ("POST", "/{id}/feed"): self._post_feed,
            ("POST", "/{id}/photos"): self._post_photo,
            ("POST", "/{id}/videos"): self._post_video,
            ("GET", "/{id}/comments"): self._read_comments,
            ("POST", "/{id}/comments"): self._post_comment,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def _accounts(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        user_pages = USER_PAGES.get(self._token(request) or "")
        if user_pages is None:
            return invalid("Tried accessing nonexisting field (accounts) on node type (Page)")
        fields = set((request.param("fields") or "id,name").split(","))
        data = [
            {
                k: v
                for k, v in {
                    "id": p.id,
                    "name": p.name,
                    "access_token": p.token,
                    "tasks": list(p.tasks),
                    "category": "Bakery",
                }.items()
                if k in fields
            }
            for p in (PAGES[page_id] for page_id in user_pages)
        ]
        return Response(200, {"data": data, "paging": {"cursors": {"before": "QVFIUmFake", "after": "QVFIUmFakeEnd"}}})

    async def _node(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        node_id = request.param("_id") or ""
        token = self._token(request) or ""
        node = self._describe(node_id, token)
        if node is None:
            return missing(node_id)
        kind, values = node
        wanted = (request.param("fields") or "id").split(",")
        unknown = [f for f in wanted if f not in values]
        if unknown:
            return invalid(f"Tried accessing nonexisting field ({unknown[0]}) on node type ({kind})")
        return Response(200, {f: values[f] for f in ["id", *wanted] if f in values})

    def _describe(self, node_id: str, token: str) -> tuple[str, dict[str, Any]] | None:
        if node_id == "me":
            page = PAGE_TOKENS.get(token)
            return (
                ("Page", {"id": page.id, "name": page.name}) if page else ("User", {"id": USER_ID, "name": "Fake User"})
            )
        if node_id in PAGES:
            return "Page", {"id": node_id, "name": PAGES[node_id].name}
        if node_id in self.videos:
            video = self.videos[node_id]
            return "Video", {
                "id": video.id,
                "status": self._read_status(video),
                "permalink_url": f"/{video.page}/videos/{video.id}/",
                "description": video.description,
            }
        item = self.items.get(node_id)
        if item is not None and not item.deleted:
            kind = "Comment" if item.parent else "Post"
            return kind, {"id": item.id, "message": item.message, "permalink_url": item.permalink_url}
        return None

    def _read_status(self, video: Video) -> dict[str, Any]:
        video.status_reads += 1
        if video.state == "processing":
            if video.polls_left > 0:
                video.polls_left -= 1
            else:
                video.state = "error" if video.fails else "ready"
        phase = {"processing": "in_progress", "ready": "complete", "error": "error"}[video.state]
        processing: dict[str, Any] = {"status": phase}
        if video.state == "error":
            processing["errors"] = [
                {"code": 1363008, "message": "The video could not be processed: its stream is unreadable"}
            ]
        return {
            "video_status": video.state,
            "uploading_phase": {"status": "complete"},
            "processing_phase": processing,
            "publishing_phase": {"status": "complete" if video.state == "ready" else "not_started"},
        }

    async def _read_feed(self, request: Request) -> Response:
        refusal = self._refusal(request)
        page_id = request.param("_id") or ""
        if refusal is not None:
            return refusal
        if page_id not in PAGES:
            return missing(page_id)
        fields = (request.param("fields") or "id,message,created_time").split(",")
        limit = int(request.param("limit") or 25)
        posts = [i for i in self.items.values() if i.page == page_id and i.parent is None and not i.deleted]
        lagging = [i for i in posts if i.unseen_reads > 0]
        for item in lagging:
            item.unseen_reads -= 1
        posts = [i for i in posts if i not in lagging]
        data = [
            {
                f: v
                for f, v in {
                    "id": i.id,
                    "message": i.message,
                    "permalink_url": i.permalink_url,
                    "created_time": "2026-12-03T11:00:00+0000",
                }.items()
                if f in fields
            }
            for i in reversed(posts)
        ]
        return Response(200, {"data": data[:limit], "paging": {}})

    async def _read_comments(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        target = request.param("_id") or ""
        if target not in self.items and target not in self.videos:
            return missing(target)
        comments = [i for i in self.items.values() if i.parent == target and not i.deleted]
        if request.param("order") == "reverse_chronological":
            comments.reverse()
        data = [
            {
                "id": c.id,
                "message": c.message,
                "from": {"id": c.page, "name": PAGES[c.page].name},
                "permalink_url": c.permalink_url,
            }
            for c in comments
        ]
        return Response(200, {"data": data, "paging": {}})
