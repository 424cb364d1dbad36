"""The Facebook fake's writes: Page posts (``/feed`` with ``attached_media``), unpublished photos, videos,
comments, and deletes."""

from __future__ import annotations

import json

from tests.fakes.core import Created
from tests.fakes.facebook.base import FEED_PARAMS, IMAGE_MAGIC, PHOTO_PARAMS, VIDEO_PARAMS, GraphBase, invalid, missing
from tests.fakes.facebook.graph import Item, ManagedPage, Photo, Video, graph_failure
from tests.fakes.http import Request, Reset, Response


class PageWrites(GraphBase):
    def _page_edge(
        self, request: Request, params: frozenset[str], *, lists: tuple[str, ...] = ()
    ) -> Response | tuple[ManagedPage, dict[str, str], dict[str, bytes]]:
        """A write on a Page's edge: the Page's own token, then only the edge's parameters (``lists``: the
        prefixes of its indexed ones, ``attached_media[0]``...); the Page, the fields and the files."""
        page_id = request.param("_id") or ""
        page, refusal = self._acting_page(request, page_id)
        refusal = self._refusal(request) or refusal
        if refusal is not None or page is None:
            return refusal or missing(page_id)
        fields, files = self._form(request)
        unknown = sorted(k for k in fields if k not in params and not k.startswith(lists or ("\0",)))
        if unknown:
            return invalid(f"Param {unknown[0]} is not a valid parameter of this edge (the fake is strict)")
        return page, fields, files

    async def _post_feed(self, request: Request) -> Response:
        edge = self._page_edge(request, FEED_PARAMS, lists=("attached_media[",))
        if isinstance(edge, Response):
            return edge
        page, fields, _ = edge
        attached = {k: v for k, v in fields.items() if k.startswith("attached_media[")}
        if fields.get("published", "true") != "true":
            return invalid("unpublished Page posts are not part of the fake")
        photos, problem = self._attached_photos(page.id, attached)
        if problem is not None:
            return problem
        message = fields.get("message", "")
        if not message.strip() and not photos and not fields.get("link"):
            return invalid("The parameter message or link or attached_media is required")
        duplicate = message.strip() and any(
            i.page == page.id and i.parent is None and not i.deleted and i.message == message
            for i in self.items.values()
        )
        if duplicate:
            self.stats["duplicates_refused"] += 1
            return graph_failure(400, 506, "(#506) Duplicate status message", kind="OAuthException")
        number = next(self._ids)
        item = Item(
            f"{page.id}_{number}",
            page.id,
            message,
            f"https://www.facebook.com/{page.id}/posts/{number}",
            photos=photos,
            unseen_reads=self.settings.feed_lag_reads,
        )
        self.items[item.id] = item
        for photo in photos:
            self.photos[photo].attached_to = item.id
        self.record(Created(item.id, page.id, message, None, None, request.received_at))
        if self.lose_answer(request):
            self.stats["answers_lost"] += 1
            raise Reset
        return Response(200, {"id": item.id})

    def _attached_photos(self, page_id: str, attached: dict[str, str]) -> tuple[list[str], Response | None]:
        photos = []
        for index in range(len(attached)):
            raw = attached.get(f"attached_media[{index}]")
            try:
                fbid = json.loads(raw or "").get("media_fbid")
            except (ValueError, AttributeError):
                fbid = None
            photo = self.photos.get(str(fbid))
            if photo is None or photo.page != page_id:
                return [], invalid(
                    f"attached_media[{index}] is not a photo of this Page", "The photo could not be found"
                )
            if photo.published or photo.attached_to is not None:
                return [], invalid(
                    f"attached_media[{index}] is already published", "This photo is already part of a post"
                )
            photos.append(photo.id)
        return photos, None

    async def _post_photo(self, request: Request) -> Response:
        edge = self._page_edge(request, PHOTO_PARAMS)
        if isinstance(edge, Response):
            return edge
        page, fields, files = edge
        data = files.get("source")
        if not data or not data.startswith(IMAGE_MAGIC):
            return graph_failure(400, 324, "(#324) Missing or invalid image file", kind="OAuthException")
        published = fields.get("published", "true") == "true"
        photo = Photo(str(next(self._ids)), page.id, len(data), fields.get("alt_text_custom"), published)
        self.photos[photo.id] = photo
        if published:
            self.record(Created(photo.id, page.id, fields.get("caption", ""), None, None, request.received_at))
        return Response(200, {"id": photo.id})

    async def _post_video(self, request: Request) -> Response:
        edge = self._page_edge(request, VIDEO_PARAMS)
        if isinstance(edge, Response):
            return edge
        page, fields, files = edge
        data = files.get("source")
        if not data:
            return invalid("The video file is required (source)")
        if data[4:8] != b"ftyp":
            return graph_failure(400, 352, "Sorry, the video file you selected is in a format that we don't support.")
        video = Video(
            str(next(self._ids)),
            page.id,
            len(data),
            fields.get("description", ""),
            self.settings.video_polls,
            self.settings.fail_video,
        )
        self.videos[video.id] = video
        self.record(Created(video.id, page.id, video.description, None, None, request.received_at))
        return Response(200, {"id": video.id})

    async def _post_comment(self, request: Request) -> Response:
        target = request.param("_id") or ""
        item, video = self.items.get(target), self.videos.get(target)
        owner = item.page if item is not None and not item.deleted else video.page if video is not None else None
        if owner is None:
            return missing(target)
        page, refusal = self._acting_page(request, owner)
        refusal = self._refusal(request) or refusal
        if refusal is not None or page is None:
            return refusal or missing(target)
        fields, _ = self._form(request)
        message = fields.get("message", "")
        if not message.strip():
            return invalid("The parameter message or attachment is required")
        number = next(self._ids)
        base = item.permalink_url if item is not None else f"https://www.facebook.com/{owner}/videos/{target}/"
        comment = Item(
            f"{target.rsplit('_', 1)[-1]}_{number}", page.id, message, f"{base}?comment_id={number}", parent=target
        )
        self.items[comment.id] = comment
        self.record(Created(comment.id, page.id, message, None, target, request.received_at))
        return Response(200, {"id": comment.id})

    async def _delete(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        object_id = request.param("_id") or ""
        item = self.items.get(object_id)
        if item is None or item.deleted:
            return missing(object_id)
        page, refusal = self._acting_page(request, item.page)
        if refusal is not None or page is None:
            return refusal or missing(object_id)
        item.deleted = True
        return Response(200, {"success": True})
