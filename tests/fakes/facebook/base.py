"""The base of the Facebook fake: the objects the Pages hold, the token and planned-error checks every call makes,
the Page-token rule of every write, and forms (urlencoded or multipart)."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from tests.fakes.core import FakePlatform
from tests.fakes.facebook.graph import (
    LONG_LIVED_USER_TOKEN,
    PAGE_TOKENS,
    PAGES,
    VERSION_PREFIX,
    Item,
    ManagedPage,
    Photo,
    Video,
    graph_failure,
    throttled,
    token_failure,
)
from tests.fakes.http import Request, Response

FEED_PARAMS = frozenset({"message", "link", "published"})
PHOTO_PARAMS = frozenset({"published", "alt_text_custom", "temporary", "caption", "url"})
VIDEO_PARAMS = frozenset({"description", "title", "published"})
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")
_POSTING = (
    "If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient "
    "administrative permission"
)


@dataclass
class Settings:
    video_polls: int = 2  # status reads a video stays "processing"
    fail_video: bool = False
    exchange_token: str = LONG_LIVED_USER_TOKEN  # the long-lived user token fb_exchange_token answers
    # Graph's feed is eventually consistent: a new post shows in the Page's feed only after this many feed reads.
    feed_lag_reads: int = 0


def missing(object_id: str) -> Response:
    return graph_failure(
        400,
        100,
        f"Unsupported delete request. Object with ID '{object_id}' does not exist, cannot be loaded due to missing "
        "permissions, or does not support this operation",
        subcode=33,
        kind="GraphMethodException",
    )


def invalid(message: str, user_message: str | None = None) -> Response:
    return graph_failure(400, 100, f"(#100) {message}", user_message=user_message)


class GraphBase(FakePlatform):
    """The state of the Pages and the checks every Graph call makes; the edges are in writes.py and routes.py."""

    write_paths = ("/{id}/feed", "/{id}/photos", "/{id}/videos", "/{id}/comments")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(900_000_000_001)
        self._forget()

    def _forget(self) -> None:
        self.settings = Settings()
        self.items: dict[str, Item] = {}
        self.photos: dict[str, Photo] = {}
        self.videos: dict[str, Video] = {}
        self.next_errors: list[dict[str, Any]] = []

    def on_reset(self) -> None:
        self._forget()

    async def __call__(self, request: Request) -> Response:
        if not request.path.startswith("/_fake/"):
            if not request.path.startswith(VERSION_PREFIX + "/"):
                return graph_failure(400, 2500, "Unknown path components: the fake serves versioned paths only")
            request.path = request.path[len(VERSION_PREFIX) :]
        return await super().__call__(request)

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/settings" and request.method == "PUT":
            self.settings = Settings(**(request.json() or {}))
            return Response(200, asdict(self.settings))
        if request.path == "/_fake/next_error" and request.method == "PUT":
            self.next_errors.append(request.json())
            return Response(200, {})
        listed: dict[str, list[Any]] = {
            "/_fake/items": list(self.items.values()),
            "/_fake/photos": list(self.photos.values()),
            "/_fake/videos": list(self.videos.values()),
        }
        if request.path in listed and request.method == "GET":
            return Response(200, [asdict(v) for v in listed[request.path]])
        return super().control(request)

    # ---- what every call checks -----------------------------------------------------------------------

    @staticmethod
    def _token(request: Request) -> str | None:
        return request.bearer() or request.param("access_token")

    def _refusal(self, request: Request) -> Response | None:
        refusal = token_failure(self._token(request))
        if refusal is not None:
            return refusal
        edge = request.path.rsplit("/", 1)[-1]
        planned = next(
            (e for e in self.next_errors if e.get("edge") == edge and e.get("method", "POST") == request.method), None
        )
        if planned is None:
            return None
        if planned.get("lose_answer"):
            return None  # applied, then the answer is lost (the edge asks lose_answer())
        self.next_errors.remove(planned)
        code = int(planned["code"])
        if code in (4, 17, 32, 613):
            return throttled(code)
        if code == 368:
            return graph_failure(
                400,
                368,
                "The action attempted has been deemed abusive or is otherwise disallowed",
                user_message="You're temporarily blocked from posting to this Page",
            )
        if code in (1, 2):
            return graph_failure(
                500, code, "An unexpected error has occurred. Please retry your request later.", transient=True
            )
        return graph_failure(400, code, planned.get("message", "Error"))

    def lose_answer(self, request: Request) -> bool:
        """A planned ``{"edge": ..., "lose_answer": true}`` for this call: it is applied, then the connection is
        reset before the answer goes out (the edge raises Reset). Once."""
        edge = request.path.rsplit("/", 1)[-1]
        planned = next((e for e in self.next_errors if e.get("edge") == edge and e.get("lose_answer")), None)
        if planned is None or planned.get("method", "POST") != request.method:
            return False
        self.next_errors.remove(planned)
        return True

    def _acting_page(self, request: Request, page_id: str) -> tuple[ManagedPage | None, Response | None]:
        """A write on a Page's edge: only that Page's own token may do it."""
        if page_id not in PAGES:
            return None, missing(page_id)
        page = PAGE_TOKENS.get(self._token(request) or "")
        if page is None or page.id != page_id:
            return None, graph_failure(403, 200, f"(#200) {_POSTING}", kind="OAuthException")
        return page, None

    @staticmethod
    def _form(request: Request) -> tuple[dict[str, str], dict[str, bytes]]:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            fields: dict[str, str] = {}
            files: dict[str, bytes] = {}
            for name, filename, data in request.multipart():
                if filename is None:
                    fields[name] = data.decode()
                else:
                    files[name] = data
            return fields, files
        return {k: v[-1] for k, v in request.form().items()}, {}
