"""A Mastodon instance as far as the real adapter (adapters/mastodon/, Mastodon.py) needs it: verify_credentials, the
v2 (and v1) instance document with the status and poll limits, media uploads (``POST /api/v2/media``, processed at
once), ``POST /api/v1/statuses`` and ``GET /api/v1/statuses/{id}``.

Statuses are checked the way Mastodon 4.x checks them (its API docs, the OpenAPI description in
../shared/specs/mastodon.openapi.json, and its validators), answering 422 ``{"error": "Validation failed: ..."}``:
- the text may be blank only with media; the content warning (``spoiler_text``) counts with the text against
  the instance's limit (counted in code points: stricter than Mastodon's graphemes with URLs as 23);
- ``visibility`` is one of public, unlisted, private, direct; ``sensitive`` a boolean, and true behind a
  content warning; ``media_ids`` at most 4, each uploaded by the same account;
- a poll has 2 to 4 distinct options of at most 50 characters and ``expires_in`` from 300 s to 2,629,746 s (a
  month); it cannot go with media ("Cannot attach more than 4 files", as PostStatusService says it);
- a video upload is processed asynchronously: 202 with ``"url": null``, ``GET /api/v1/media/:id`` answers 206 until
  it is done, and a status attaching it meanwhile is refused with Mastodon's 422 ("Cannot attach files that have
  not finished processing").
Idempotency-Key is honoured the way Mastodon does it: the same key from the same account answers the first status
again instead of creating another. Stricter than Mastodon on purpose: parameters it does not know (of the status
or of its poll) are refused, where Mastodon ignores them, so a misspelt field fails a test.

Bodies come as a form (Rails-style ``media_ids[]``, ``poll[options][]``) or as JSON (Mastodon.py sends JSON when a
status has a poll). Any bearer token is an account (the token names it); there is nothing to register first. The
instance's status limit is 500 unless a test sets another (``PUT /_fake/instance {"max_characters": N}``).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

MAX_CHARACTERS = 500
MAX_MEDIA = 4
POLLS = {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2_629_746}
VISIBILITIES = frozenset({"public", "unlisted", "private", "direct"})
_STATUS_PARAMS = frozenset(
    {"status", "in_reply_to_id", "media_ids", "sensitive", "spoiler_text", "visibility", "language", "poll"}
)
_POLL_PARAMS = frozenset({"options", "expires_in", "multiple", "hide_totals"})
_RAILS_KEY = re.compile(r"^(\w+)((?:\[\w*\])*)$")  # poll[options][] → ("poll", "[options][]")


class Invalid(Exception):
    """What Mastodon answers 422 for; the message is its ``error``."""


def _account(token: str) -> dict[str, object]:
    number = int(hashlib.sha256(token.encode()).hexdigest()[:12], 16)
    username = f"fake{number % 10**8}"
    return {
        "id": str(number),
        "username": username,
        "acct": username,
        "display_name": f"Fake {username}",
        "avatar": "",
        "url": f"https://fake.invalid/@{username}",
        "created_at": "2024-01-01T00:00:00.000Z",
    }


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _params(request: Request) -> dict[str, Any]:
    """The status parameters as Rails reads them: a JSON object, or a form with ``a[]`` and ``a[b][]`` keys."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = request.json_object()
        if body is None:
            raise Invalid("the body is not a JSON object")
        return {key: value for key, value in body.items() if value is not None}
    params: dict[str, Any] = {}
    for key, value in parse_qsl(request.body.decode(), keep_blank_values=True):
        match = _RAILS_KEY.match(key)
        if match is None:
            raise Invalid(f"the fake cannot read the parameter {key!r}")
        parts = [match.group(1), *re.findall(r"\[(\w*)\]", match.group(2))]
        *containers, last = parts
        target: Any = params
        for part, following in zip(containers, parts[1:], strict=True):
            target = target.setdefault(part, [] if following == "" else {})
        if last == "":
            target.append(value)
        else:
            target[last] = value
    return params


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "1", "false", "0", ""):  # what Rails casts from a form
        return value in ("true", "1")
    raise Invalid(f"Validation failed: {name} is not a boolean")


def _poll_problems(poll: dict[str, Any]) -> list[str]:
    """PollOptionsValidator and PollExpirationValidator, in Mastodon's words."""
    unknown = sorted(set(poll) - _POLL_PARAMS)
    if unknown:
        raise Invalid(f"the fake does not know the poll parameters {unknown}")
    options = poll.get("options")
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        return ["Poll options can't be blank"]
    found = []
    if len(options) < 2:
        found.append("Poll options must have more than one item")
    if len(options) > POLLS["max_options"]:
        found.append(f"Poll options can't contain more than {POLLS['max_options']} items")
    if any(len(option) > POLLS["max_characters_per_option"] for option in options):
        found.append(f"Poll options cannot be longer than {POLLS['max_characters_per_option']} characters each")
    if len(set(options)) < len(options):
        found.append("Poll options contain duplicate items")
    expires_in = poll.get("expires_in")
    if isinstance(expires_in, str) and expires_in.isdigit():
        expires_in = int(expires_in)
    if type(expires_in) is not int:
        found.append("Poll expires at can't be blank")
    elif expires_in > POLLS["max_expiration"]:
        found.append("Poll expires at is too far into the future")
    elif expires_in < POLLS["min_expiration"]:
        found.append("Poll expires at is too soon")
    return found


def _poll_object(poll: dict[str, Any], status_id: str, now: datetime) -> dict[str, Any]:
    return {
        "id": status_id,
        "expires_at": _iso(now + timedelta(seconds=int(poll["expires_in"]))),
        "expired": False,
        "multiple": _boolean("Poll multiple", poll.get("multiple", False)),
        "votes_count": 0,
        "voters_count": 0,
        "options": [{"title": title, "votes_count": 0} for title in poll["options"]],
        "emojis": [],
        "voted": False,
        "own_votes": [],
    }


class FakeMastodon(FakePlatform):
    write_paths = ("/api/v1/statuses",)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(110_000_000_000_000_000)
        self._by_key: dict[tuple[str, str], dict[str, object]] = {}  # (token, Idempotency-Key) → status
        self._statuses: dict[str, dict[str, Any]] = {}
        self._media: dict[str, tuple[str, dict[str, Any]]] = {}  # id → (uploader's token, attachment)
        self.max_characters = MAX_CHARACTERS
        # Videos are processed asynchronously (POST /api/v2/media answers 202 with "url": null); each such upload
        # stays processing for this many GET /api/v1/media/:id (206 meanwhile). Set by PUT /_fake/media.
        self.processing_polls = 2
        self._processing: dict[str, int] = {}  # media id → polls still to answer 206
        self.uploads = 0
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/api/v1/accounts/verify_credentials"): self._verify_credentials,
            ("GET", "/api/v2/instance"): self._instance_v2,
            ("GET", "/api/v1/instance"): self._instance_v1,
            ("POST", "/api/v2/media"): self._upload_media,
            ("GET", "/api/v1/media/{id}"): self._get_media,
            ("POST", "/api/v1/statuses"): self._post_status,
            ("GET", "/api/v1/statuses/{id}"): self._get_status,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/instance" and request.method == "PUT":
            return self.set_switch(request, "max_characters", minimum=1)
        if request.path == "/_fake/media" and request.method == "PUT":
            return self.set_switch(request, "processing_polls")
        if request.path == "/_fake/media" and request.method == "DELETE":  # every upload finishes processing now
            self._processing.clear()
            return Response(200, {})
        if request.path == "/_fake/media" and request.method == "GET":
            return Response(200, {"uploads": self.uploads, "processing": sorted(self._processing)})
        return super().control(request)

    def on_reset(self) -> None:
        self.processing_polls = 2
        self._processing.clear()
        self.uploads = 0

    async def _verify_credentials(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return Response(401, {"error": "The access token is invalid"})
        return Response(200, _account(token))

    async def _instance_v2(self, request: Request) -> Response:
        statuses = {
            "max_characters": self.max_characters,
            "characters_reserved_per_url": 23,
            "max_media_attachments": MAX_MEDIA,
        }
        configuration = {"statuses": statuses, "polls": POLLS}
        return Response(200, {"domain": "fake.invalid", "version": "4.2.0", "configuration": configuration})

    async def _instance_v1(self, request: Request) -> Response:
        return Response(200, {"uri": "fake.invalid", "version": "4.2.0", "max_toot_chars": self.max_characters})

    async def _upload_media(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return Response(401, {"error": "The access token is invalid"})
        parts = {name: (filename, data) for name, filename, data in request.multipart()}
        if "file" not in parts or not parts["file"][1]:
            return Response(422, {"error": "Validation failed: File can't be blank"})
        media_id = str(next(self._ids))
        self.uploads += 1
        description = parts.get("description", (None, b""))[1].decode() or None
        url = f"https://fake.invalid/media/{media_id}"
        video = parts["file"][1][4:8] == b"ftyp"  # an MP4/MOV: processed after the upload, as Mastodon does
        attachment = {
            "id": media_id,
            "type": "video" if video else "image",
            "url": url,
            "preview_url": url,
            "description": description,
        }
        self._media[media_id] = (token, attachment)
        if video and self.processing_polls:
            self._processing[media_id] = self.processing_polls
            return Response(202, {**attachment, "url": None})
        return Response(200, attachment)

    async def _get_media(self, request: Request) -> Response:
        """GET /api/v1/media/:id: 206 Partial Content with "url": null while processing, then 200."""
        media_id = request.param("_id") or ""
        found = self._media.get(media_id)
        if found is None or found[0] != request.bearer():
            return Response(404, {"error": "Record not found"})
        left = self._processing.get(media_id, 0)
        if left:
            if left == 1:
                del self._processing[media_id]
            else:
                self._processing[media_id] = left - 1
            return Response(206, {**found[1], "url": None})
        return Response(200, found[1])

    async def _get_status(self, request: Request) -> Response:
        status = self._statuses.get(request.param("_id") or "")
        if status is None:
            return Response(404, {"error": "Record not found"})
        return Response(200, status)

    async def _post_status(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return Response(401, {"error": "The access token is invalid"})
        key = request.headers.get("idempotency-key")
        if key and (token, key) in self._by_key:
            return Response(200, self._by_key[(token, key)])
        try:
            params = _params(request)
            status = self._status_from(token, params)
        except Invalid as exc:
            return Response(422, {"error": str(exc)})
        if key:
            self._by_key[(token, key)] = status
        self._statuses[status["id"]] = status
        self.record(
            Created(
                id=status["id"],
                account=str(status["account"]["id"]),
                text=str(params.get("status") or ""),
                idempotency_key=key,
                reply_to=status["in_reply_to_id"],
                received_at=request.received_at,
            )
        )
        return Response(200, status)

    def _status_from(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        """The status these parameters make, or Invalid with what Mastodon would answer."""
        unknown = sorted(set(params) - _STATUS_PARAMS)
        if unknown:
            raise Invalid(f"the fake does not know the parameters {unknown}")
        text, spoiler = str(params.get("status") or ""), str(params.get("spoiler_text") or "")
        media_ids = params.get("media_ids") or []
        media_ids = media_ids if isinstance(media_ids, list) else [media_ids]
        poll = params.get("poll")
        if media_ids and (len(media_ids) > MAX_MEDIA or poll is not None):
            raise Invalid(f"Cannot attach more than {MAX_MEDIA} files")
        media = [self._media.get(str(media_id)) for media_id in media_ids]
        if any(found is None or found[0] != token for found in media):
            raise Invalid("Could not find one of the media attachments")
        if any(str(media_id) in self._processing for media_id in media_ids):
            raise Invalid("Cannot attach files that have not finished processing. Try again in a moment!")
        visibility = params.get("visibility", "public")
        now = _now()
        problems = []
        if not text.strip() and not media_ids:
            problems.append("Text can't be blank")
        if len(spoiler) + len(text) > self.max_characters:
            problems.append(f"Text character limit of {self.max_characters} exceeded")
        if visibility not in VISIBILITIES:
            problems.append("Visibility is not included in the list")
        if poll is not None:
            problems.extend(_poll_problems(poll if isinstance(poll, dict) else {}))
        if problems:
            raise Invalid(f"Validation failed: {', '.join(problems)}")
        status_id = str(next(self._ids))
        account = _account(token)
        url = f"https://fake.invalid/@{account['username']}/{status_id}"
        return {
            "id": status_id,
            "uri": url,
            "url": url,
            "content": f"<p>{html.escape(text)}</p>",
            "created_at": _iso(now),
            "in_reply_to_id": params.get("in_reply_to_id"),
            "visibility": visibility,
            "spoiler_text": spoiler,
            "sensitive": _boolean("Sensitive", params.get("sensitive", False)) or bool(spoiler),
            "language": params.get("language"),
            "account": account,
            "media_attachments": [attachment for _token, attachment in filter(None, media)],
            "poll": _poll_object(poll, status_id, now) if poll is not None else None,
        }
