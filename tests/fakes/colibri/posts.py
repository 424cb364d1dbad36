"""The timeline: a user's one draft (``upload_post_media``, ``delete_post_media``: ≤10 images or one video),
``publish_post`` taking every file waiting there (its text past 600 characters cropped silently; a GIF or a poll
only without other media), and ``thread_data``."""

from __future__ import annotations

import hashlib
import json

from tests.fakes.colibri.answers import fail, ok
from tests.fakes.colibri.calls import Call, sniff
from tests.fakes.colibri.state import ColibriSite
from tests.fakes.core import Created
from tests.fakes.http import Response

MAX_POST_CHARS, MAX_IMAGES, MAX_POLL_OPTION_CHARS = 600, 10, 100
PRIVACY = frozenset({"everyone", "followers", "mentioned"})
PUBLICATION = "Invalid data for publication. Please check your details"
MEDIA_TYPE = "Media file type is missing or invalid"


def poll_options(raw: str) -> list[str]:
    """The options of ``poll_data`` (a JSON array of 2 to 4 ``{"value": ...}``); [] when it is not one."""
    try:
        options = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(options, list) or not 2 <= len(options) <= 4:
        return []
    values = [o.get("value") if isinstance(o, dict) and set(o) == {"value"} else None for o in options]
    if not all(isinstance(v, str) and v.strip() and len(v) <= MAX_POLL_OPTION_CHARS for v in values):
        return []
    return [str(v) for v in values]


class PostEndpoints(ColibriSite):
    async def _thread_data(self, call: Call) -> Response:
        post = self.posts.get(int(call.fields["thread_id"])) if call.fields.get("thread_id", "").isdigit() else None
        if post is None:
            return fail(400, "Thread ID is missing or invalid")  # not documented
        replies = [p for p in self.posts.values() if p["thread_id"] == post["id"]]
        return ok({"can_reply": True, "post": post, "next": replies, "prev": []})

    async def _upload(self, call: Call) -> Response:
        assert call.user is not None
        kind = call.fields.get("type", "").lower()
        if kind not in ("image", "video"):
            return fail(400, MEDIA_TYPE)
        name, data = call.files.get("file", (None, b""))
        if not name or sniff(data) != kind:
            return fail(500, "Media file is missing or invalid")
        draft = self.drafts.setdefault(call.user.id, [])
        if kind == "image" and sum(m["type"] == "image" for m in draft) >= MAX_IMAGES:
            return fail(400, "You cannot attach more than 10 images to a post")
        if draft and "video" in {kind, *(m["type"] for m in draft)}:
            return fail(400, "A post takes up to 10 images or one video")  # the fake's own words
        media_id = next(self._media_ids)
        url = f"{call.site}/upload/{kind}s/{media_id}-{hashlib.sha256(data).hexdigest()[:12]}"
        draft.append({"media_id": media_id, "type": kind, "sha256": hashlib.sha256(data).hexdigest(), "src": url})
        if kind == "video":
            return ok(
                {"media_id": media_id, "type": "Video", "source": url, "poster": url + ".jpg"},
                "Media file uploaded successfully",
            )
        return ok({"media_id": media_id, "url": url, "type": "Image"}, "Media file uploaded successfully")

    async def _delete_media(self, call: Call) -> Response:
        assert call.user is not None
        draft = self.drafts.get(call.user.id, [])
        found = next(
            (
                m
                for m in draft
                if str(m["media_id"]) == call.fields.get("media_id")
                and m["type"] == call.fields.get("type", "").lower()
            ),
            None,
        )
        if found is None:
            return fail(400, MEDIA_TYPE)
        draft.remove(found)
        return ok(None, "Media deleted successfully")

    async def _publish(self, call: Call) -> Response:
        assert call.user is not None
        f = call.fields
        text, thread_id, privacy, gif = f.get("post_text", ""), f.get("thread_id"), f.get("privacy"), f.get("gif_src")
        poll = poll_options(f["poll_data"]) if "poll_data" in f else None
        draft = self.drafts.get(call.user.id, [])
        if (thread_id is not None and not (thread_id.isdigit() and int(thread_id) > 0)) or poll == []:
            return fail(400, PUBLICATION)
        if (privacy is not None and privacy not in PRIVACY) or (gif is not None and not gif.startswith("http")):
            return fail(400, PUBLICATION)
        if (gif and draft) or (poll and (draft or gif)) or not (text.strip() or draft or gif or poll):
            return fail(400, PUBLICATION)
        post_id = next(self._post_ids)
        reply_to = int(thread_id) if thread_id else 0
        kind = draft[0]["type"] if draft else ("poll" if poll else ("gif" if gif else "text"))
        post = {
            "id": post_id,
            "user_id": call.user.id,
            "text": text[:MAX_POST_CHARS],
            "type": kind,  # cropped
            "thread_id": reply_to,
            "status": "active",
            "target": "publication",
            "url": f"{call.site}/thread/{post_id}",
            "media": list(draft),
            "poll": poll,
            "gif_src": gif,
            "privacy": "everyone" if reply_to else (privacy or "everyone"),
            "is_owner": True,
        }
        self.posts[post_id] = post
        self.drafts[call.user.id] = []  # the draft is taken whole
        self.record(
            Created(
                id=str(post_id),
                account=str(call.user.id),
                text=post["text"],
                idempotency_key=None,
                reply_to=str(reply_to) if reply_to else None,
                received_at=call.at,
            )
        )
        return ok(post, "Post published successfully", posts_total=len(self.posts))
