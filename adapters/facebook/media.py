"""Media for a Page post:

- photos: each uploaded to ``POST /{page}/photos`` with ``published=false`` (nothing shows yet; ``alt_text_custom``
  carries its alt text), then named in the post's ``attached_media[i]={"media_fbid": id}``.
- one video: ``POST /{page}/videos`` with the file as ``source`` and the text as ``description`` publishes it as the
  Page's post once Facebook has processed it; ``GET /{video}?fields=status,permalink_url`` says where it stands
  (``status.video_status``: ``processing`` → ``ready``, or ``error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.answers import non_empty_text
from adapters.base import MediaItem, OutcomeUnknown, Transient
from adapters.facebook.api import GraphApi
from adapters.http import path_segment

READY = "ready"
FAILED = frozenset({"error", "expired"})


async def upload_photo(api: GraphApi, page_id: str, item: MediaItem, number: int) -> str:
    data = {"published": "false"}
    if item.alt_text:
        data["alt_text_custom"] = item.alt_text
    files = {"source": (item.filename(number), item.data, item.content_type)}
    answer = await api.write(
        f"/{path_segment(page_id)}/photos", action=f"upload of photo {number}", creates=False, data=data, files=files
    )
    photo = non_empty_text(str(answer.get("id") or ""))
    if photo is None:
        raise Transient(f"Facebook upload of photo {number}: the answer carried no id")
    return photo


async def upload_video(api: GraphApi, video_base_url: str, page_id: str, item: MediaItem, text: str) -> str:
    """The video as the Page's post (published once processed): its id. Once sent it may be posted: a lost answer
    is OutcomeUnknown."""
    files = {"source": (item.filename(1), item.data, item.content_type)}
    url = f"{video_base_url}/{path_segment(page_id)}/videos"
    answer = await api.write(url, action="video upload", creates=True, data={"description": text}, files=files)
    video = non_empty_text(str(answer.get("id") or ""))
    if video is None:
        raise OutcomeUnknown("Facebook accepted the video but its answer carried no id")
    return video


async def video_state(api: GraphApi, video_id: str) -> tuple[str, str | None, str]:
    """(video_status, permalink_url, Meta's reason when it failed)."""
    answer = await api.read(f"/{path_segment(video_id)}", action="video status check", fields="status,permalink_url")
    status = answer.get("status")
    state = non_empty_text(status.get("video_status")) if isinstance(status, Mapping) else None
    if state is None:
        raise Transient("Facebook video status check: the answer carried no status.video_status")
    return state, non_empty_text(answer.get("permalink_url")), _reason(status)


def _reason(status: Any) -> str:
    phase = status.get("processing_phase") if isinstance(status, Mapping) else None
    errors = phase.get("errors") if isinstance(phase, Mapping) else None
    messages = [e.get("message") for e in errors if isinstance(e, Mapping)] if isinstance(errors, list) else []
    return "; ".join(m for m in messages if isinstance(m, str)) or "no reason given"
