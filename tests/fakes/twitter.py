"""X (API v2) as far as the real adapter (adapters/twitter/: tweepy, and httpx for media) needs it:
``GET /2/users/me``, ``POST /2/tweets`` (text, reply.in_reply_to_tweet_id, media.media_ids, poll, reply_settings),
``GET /2/tweets/{id}`` (to read a post back as X shows it: ``tweet.fields``, ``expansions=attachments.poll_ids``,
``poll.fields``), ``DELETE /2/tweets/{id}`` (the author's own posts only) and the v2 media upload (initialize →
append → finalize, ``POST /2/media/metadata`` for alt text; a ``tweet_video`` is processed after finalize:
``processing_info`` pending, ``GET /2/media/upload?command=STATUS`` in_progress a few times, then succeeded, and a
post attaching it meanwhile is refused).
Bodies are checked the way X's OpenAPI spec (../shared/specs/x-api-v2.openapi.json) declares them: unknown fields,
ids that are not numeric, a reply to a post that does not exist, unknown or unfinished media are refused like X
refuses them. A poll is ``options`` (2 to 4 strings of 1 to 25 characters) and ``duration_minutes`` (5 to 10080),
and cannot go with media or a quote (X's reference: mutually exclusive). ``reply_settings`` must be one of the
spec's values (``following``, ``mentionedUsers``, ``subscribers``, ``verified``; left out, everyone may reply,
and X shows ``everyone``).

A restricted conversation is enforced as X does for its root's setting: its replies inherit it, so only the root's
author and the accounts the root mentions (``@fake…`` handles) may reply in it; the fake has no follow graph, so
``following`` lets in no one else either (an author who follows no one), and ``subscribers``/``verified`` no one.

Any bearer token (OAuth 2.0) or OAuth 1.0a ``oauth_token`` is an account (the token names it; signatures are
not checked). A bearer that is a JWT (the OAuth peer's access tokens) names its ``sub`` instead, so a refreshed
token is the same user, and is refused (401) once its ``exp`` has passed, as X refuses an expired token. Two
controls make X refuse tokens early (a user revoking the app, X expiring a token before its time):
``POST /_fake/refuse-token`` ``{"token"}`` and ``POST /_fake/refuse-seen-tokens`` (every token used so far);
``/_fake/reset`` forgets both.

X has no idempotency key, so every accepted POST /2/tweets creates a post; X's own refusal of duplicate text is
left out on purpose: a benchmark must see a repost as a duplicate, not as an error. The 280 weighted-character
limit is not enforced (the adapter's own counting is what would be tested against it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

_ID = re.compile(r"[0-9]{1,19}")
_OAUTH_TOKEN = re.compile(r'oauth_token="([^"]*)"')
_TWEET_FIELDS = frozenset({"text", "reply", "media", "quote_tweet_id", "reply_settings", "nullcast", "poll"})
_MEDIA_TYPES = frozenset({"image/jpeg", "image/gif", "image/png", "image/webp", "image/bmp", "video/mp4",
                          "video/quicktime", "video/webm"})
_CATEGORIES = frozenset({"tweet_image", "tweet_gif", "tweet_video", "amplify_video", "dm_image", "dm_gif",
                         "dm_video", "subtitles"})
_REPLY_SETTINGS = frozenset({"following", "mentionedUsers", "subscribers", "verified"})  # the spec's enum
_POLL_FIELDS = frozenset({"options", "duration_minutes", "reply_settings"})  # poll.reply_settings: accepted, dropped
_MIN_POLL_MINUTES, _MAX_POLL_MINUTES, _MAX_OPTION = 5, 10080, 25
_MENTION = re.compile(r"@([A-Za-z0-9_]{1,15})")
_NOT_ALLOWED_TO_REPLY = ("Reply to this conversation is not allowed because you have not been mentioned or otherwise "
                         "engaged by the author of the post you are replying to.")


def _problem(status: int, detail: str, kind: str = "invalid-request", title: str = "Invalid Request") -> Response:
    body = {"type": f"https://api.x.com/2/problems/{kind}", "title": title, "detail": detail, "status": status}
    return Response(status, {"errors": [{"message": detail}], **body})


_UNAUTHORIZED = Response(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})


def _jwt_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWT bearer (signature not checked: X's own tokens are opaque to clients), else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def _user(name: str) -> dict[str, str]:
    number = int(hashlib.sha256(name.encode()).hexdigest()[:15], 16)
    username = f"fake{number % 10**8}"
    return {"id": str(number), "username": username, "name": f"Fake {username}",
            "profile_image_url": "https://pbs.twimg.com/profile_images/fake_normal.jpg"}


@dataclass
class _Tweet:
    author: dict[str, str]
    text: str
    conversation_id: str  # the root's id (its own for a root)
    reply_settings: str  # "everyone" when none was set
    poll: dict[str, Any] | None
    created_at: float

    def may_reply(self, user: dict[str, str]) -> bool:
        """Whether ``user`` may reply under this root's setting."""
        if self.reply_settings == "everyone" or user["id"] == self.author["id"]:
            return True
        mentioned = {handle.lower() for handle in _MENTION.findall(self.text)}
        return self.reply_settings in ("mentionedUsers", "following") and user["username"].lower() in mentioned


@dataclass
class _Upload:
    owner: str
    total_bytes: int
    received: int = 0
    finalized: bool = False
    category: str | None = None
    processing_left: int = 0  # STATUS answers still "in_progress" (a video X processes after finalize)
    alt_text: str | None = None


class FakeTwitter(FakePlatform):
    write_paths = ("/2/tweets", "/2/media")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ids = itertools.count(1_800_000_000_000_000_000)  # 19-digit snowflakes, increasing like X's
        self._tweets: dict[str, _Tweet] = {}
        self._uploads: dict[str, _Upload] = {}  # media id → upload
        self._seen_tokens: set[str] = set()
        self._refused_tokens: set[str] = set()
        self.processing_polls = 2  # PUT /_fake/media {"processing_polls": n}: how long X processes a video
        self._routes: dict[tuple[str, str], Route] = {
            ("GET", "/2/users/me"): self._me,
            ("GET", "/2/media/upload"): self._status,
            ("POST", "/2/tweets"): self._create_tweet,
            ("GET", "/2/tweets/{id}"): self._get_tweet,
            ("DELETE", "/2/tweets/{id}"): self._delete_tweet,
            ("POST", "/2/media/upload/initialize"): self._initialize,
            ("POST", "/2/media/upload/{id}/append"): self._append,
            ("POST", "/2/media/upload/{id}/finalize"): self._finalize,
            ("POST", "/2/media/metadata"): self._metadata,
        }

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    def on_reset(self) -> None:
        self.processing_polls = 2
        self._uploads.clear()
        self._seen_tokens.clear()
        self._refused_tokens.clear()

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/refuse-token" and request.method == "POST":
            token = (request.json_object() or {}).get("token")
            if not isinstance(token, str) or not token:
                return Response(400, {"error": "refuse-token takes {\"token\": \"…\"}"})
            self._refused_tokens.add(token)
            return Response(200, {"refused": len(self._refused_tokens)})
        if request.path == "/_fake/refuse-seen-tokens" and request.method == "POST":
            self._refused_tokens |= self._seen_tokens
            return Response(200, {"refused": len(self._refused_tokens)})
        if request.path == "/_fake/media" and request.method == "PUT":
            return self.set_switch(request, "processing_polls")
        if request.path == "/_fake/media" and request.method == "GET":
            return Response(200, {media_id: upload.alt_text for media_id, upload in self._uploads.items()})
        return super().control(request)

    def _caller(self, request: Request) -> dict[str, str] | None:
        header = request.headers.get("authorization", "")
        token = request.bearer()
        if token is None and header.startswith("OAuth "):
            match = _OAUTH_TOKEN.search(header)
            token = match.group(1) if match else None
        if not token or token in self._refused_tokens:
            return None
        self._seen_tokens.add(token)
        claims = _jwt_claims(token)
        if claims is None:
            return _user(token)
        expires = claims.get("exp")
        if isinstance(expires, int | float) and expires <= time.time():
            return None
        return _user(str(claims.get("sub", token)))

    async def _me(self, request: Request) -> Response:
        user = self._caller(request)
        return _UNAUTHORIZED if user is None else Response(200, {"data": user})

    async def _create_tweet(self, request: Request) -> Response:
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        body = request.json_object()
        if body is None:
            return _problem(400, "The request body must be a JSON object")
        unknown = sorted(set(body) - _TWEET_FIELDS)
        if unknown:
            return _problem(400, f"The request body has unknown fields: {', '.join(unknown)}")
        text, media_ids = body.get("text", ""), []
        if not isinstance(text, str):
            return _problem(400, "text must be a string")
        if "media" in body:
            media = body["media"]
            media_ids = media.get("media_ids") if isinstance(media, dict) else None
            if not isinstance(media_ids, list) or not 1 <= len(media_ids) <= 4:
                return _problem(400, "media.media_ids must hold 1 to 4 media ids")
            for media_id in media_ids:
                upload = self._uploads.get(str(media_id))
                if upload is None or upload.owner != user["id"] or not upload.finalized or upload.processing_left:
                    return _problem(400, f"Your media IDs are invalid: {media_id}")
        if not text.strip() and not media_ids:
            return _problem(400, "Post text is required unless media is attached")
        poll, problem = _poll(body, request.received_at)
        if problem is not None:
            return problem
        reply_settings = body.get("reply_settings", "everyone")
        if "reply_settings" in body and reply_settings not in _REPLY_SETTINGS:
            return _problem(400, f"reply_settings must be one of {', '.join(sorted(_REPLY_SETTINGS))}")
        reply_to, conversation_id = None, None
        if "reply" in body:
            reply = body["reply"]
            reply_to = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
            if not isinstance(reply_to, str) or not _ID.fullmatch(reply_to):
                return _problem(400, "reply.in_reply_to_tweet_id must be a post id (1 to 19 digits)")
            if reply_to not in self._tweets:
                return _problem(403, "You attempted to reply to a Tweet that is deleted or not visible to you.",
                                kind="not-authorized-for-resource", title="Forbidden")
            conversation_id = self._tweets[reply_to].conversation_id
            root = self._tweets.get(conversation_id)  # None once the root was deleted: its setting went with it
            if root is not None and not root.may_reply(user):  # replies inherit the root's setting
                return _problem(403, _NOT_ALLOWED_TO_REPLY, kind="not-authorized-for-resource", title="Forbidden")
        tweet_id = str(next(self._ids))
        if poll is not None:
            poll["id"] = str(next(self._ids))
        self._tweets[tweet_id] = _Tweet(user, text, conversation_id or tweet_id, reply_settings, poll,
                                        request.received_at)
        self.record(Created(id=tweet_id, account=user["id"], text=text, idempotency_key=None, reply_to=reply_to,
                            received_at=request.received_at))
        return Response(201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}})

    async def _delete_tweet(self, request: Request) -> Response:
        """``{"data": {"deleted": true}}``; an unknown id is a 404 problem, another account's post a 403."""
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        tweet_id = request.param("_id") or ""
        if not _ID.fullmatch(tweet_id):
            return _problem(400, f"The `id` query parameter value [{tweet_id}] is not valid")
        tweet = self._tweets.get(tweet_id)
        if tweet is None:
            return _problem(404, f"Could not find tweet with id: [{tweet_id}].", kind="resource-not-found",
                            title="Not Found Error")
        if tweet.author["id"] != user["id"]:
            return _problem(403, "You are not allowed to delete this Tweet.", kind="not-authorized-for-resource",
                            title="Forbidden")
        del self._tweets[tweet_id]
        return Response(200, {"data": {"deleted": True}})

    async def _get_tweet(self, request: Request) -> Response:
        """A post as X's lookup shows it: id and text, the ``tweet.fields`` asked for, the poll under ``includes``
        when ``expansions`` asks for ``attachments.poll_ids`` (id and options, plus the ``poll.fields`` asked for)."""
        if self._caller(request) is None:
            return _UNAUTHORIZED
        tweet_id = request.param("_id") or ""
        tweet = self._tweets.get(tweet_id)
        if tweet is None:  # X answers 200 with the error beside no data
            error = {"value": tweet_id, "detail": f"Could not find tweet with id: [{tweet_id}].", "parameter": "id",
                     "title": "Not Found Error", "resource_type": "tweet",
                     "type": "https://api.x.com/2/problems/resource-not-found"}
            return Response(200, {"errors": [error]})
        fields = _listed(request, "tweet.fields")
        data: dict[str, Any] = {"id": tweet_id, "text": tweet.text, "edit_history_tweet_ids": [tweet_id]}
        known = {"author_id": tweet.author["id"], "conversation_id": tweet.conversation_id,
                 "reply_settings": tweet.reply_settings,
                 "created_at": _timestamp(tweet.created_at)}
        data.update({name: value for name, value in known.items() if name in fields})
        answer: dict[str, Any] = {"data": data}
        if tweet.poll is not None and "attachments.poll_ids" in _listed(request, "expansions"):
            data["attachments"] = {"poll_ids": [tweet.poll["id"]]}
            poll_fields = _listed(request, "poll.fields")
            shown = {k: v for k, v in tweet.poll.items() if k in ("id", "options") or k in poll_fields}
            answer["includes"] = {"polls": [shown]}
        return Response(200, answer)

    # ---- media upload (v2) ---------------------------------------------------------------------------------

    def _upload_of(self, request: Request, user: dict[str, str]) -> _Upload | None:
        upload = self._uploads.get(request.param("_id") or "")
        return upload if upload is not None and upload.owner == user["id"] else None

    async def _initialize(self, request: Request) -> Response:
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        body = request.json_object()
        if body is None:
            return _problem(400, "The request body must be a JSON object")
        if body.get("media_type") not in _MEDIA_TYPES:
            return _problem(400, f"media_type is missing or not supported: {body.get('media_type')!r}")
        total = body.get("total_bytes")
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            return _problem(400, "total_bytes must be a non-negative integer")
        if "media_category" in body and body["media_category"] not in _CATEGORIES:
            return _problem(400, f"media_category is not one of X's: {body['media_category']!r}")
        media_id = str(next(self._ids))
        self._uploads[media_id] = _Upload(owner=user["id"], total_bytes=total, category=body.get("media_category"))
        return Response(200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}})

    async def _append(self, request: Request) -> Response:
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        upload = self._upload_of(request, user)
        if upload is None or upload.finalized:
            return _problem(400, "The media id is not an upload in progress")
        fields = {name: data for name, _filename, data in request.multipart()}
        index, chunk = fields.get("segment_index"), fields.get("media")
        if index is None or chunk is None or not index.decode().isdigit() or int(index) > 999:
            return _problem(400, "append needs segment_index (0-999) and media")
        upload.received += len(chunk)
        return Response(200, {"data": {"expires_at": 0}})

    async def _finalize(self, request: Request) -> Response:
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        upload = self._upload_of(request, user)
        if upload is None:
            return _problem(400, "The media id is not an upload")
        if upload.received != upload.total_bytes:
            return _problem(400, f"Received {upload.received} of {upload.total_bytes} bytes")
        upload.finalized = True
        media_id = request.param("_id") or ""
        data: dict[str, Any] = {"id": media_id, "media_key": f"3_{media_id}", "size": upload.total_bytes}
        if upload.category == "tweet_video" and self.processing_polls:
            upload.processing_left = self.processing_polls
            data["processing_info"] = {"state": "pending", "check_after_secs": 1}
        return Response(200, {"data": data})

    async def _status(self, request: Request) -> Response:
        """GET /2/media/upload?command=STATUS&media_id=…: in_progress while X processes, then succeeded."""
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        if request.param("command") != "STATUS":
            return _problem(400, "command must be STATUS")
        media_id = request.param("media_id") or ""
        upload = self._uploads.get(media_id)
        if upload is None or upload.owner != user["id"] or not upload.finalized:
            return _problem(400, f"Unknown media id: {media_id!r}")
        data: dict[str, Any] = {"id": media_id, "media_key": f"3_{media_id}"}
        if upload.processing_left:
            upload.processing_left -= 1
            info = {"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
        else:
            info = {"state": "succeeded", "progress_percent": 100}
        if upload.category == "tweet_video":
            data["processing_info"] = info
        return Response(200, {"data": data})

    async def _metadata(self, request: Request) -> Response:
        user = self._caller(request)
        if user is None:
            return _UNAUTHORIZED
        body = request.json_object() or {}
        media_id = body.get("id")
        upload = self._uploads.get(str(media_id))
        if upload is None or upload.owner != user["id"]:
            return _problem(400, f"Unknown media id: {media_id!r}")
        alt = (body.get("metadata") or {}).get("alt_text") or {}
        if not isinstance(alt.get("text"), str) or len(alt["text"]) > 1000:
            return _problem(400, "metadata.alt_text.text must be a string of at most 1000 characters")
        upload.alt_text = alt["text"]
        return Response(200, {"data": {"id": str(media_id), "associated_metadata": body.get("metadata")}})


def _listed(request: Request, name: str) -> set[str]:
    """A comma-separated query parameter (``tweet.fields=a,b``) as a set."""
    return {item for item in (request.param(name) or "").split(",") if item}


def _timestamp(unix: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(unix))


def _poll(body: dict[str, Any], now: float) -> tuple[dict[str, Any] | None, Response | None]:
    """The request's poll as X stores it (options with positions and votes), or X's refusal."""
    if "poll" not in body:
        return None, None
    poll = body["poll"]
    if not isinstance(poll, dict) or set(poll) - _POLL_FIELDS:
        return None, _problem(400, f"poll takes only {', '.join(sorted(_POLL_FIELDS))}")
    if "media" in body or "quote_tweet_id" in body:
        return None, _problem(400, "A poll is mutually exclusive with media and quote_tweet_id")
    options, minutes = poll.get("options"), poll.get("duration_minutes")
    if not isinstance(options, list) or not 2 <= len(options) <= 4:
        return None, _problem(400, "poll.options must hold 2 to 4 options")
    if not all(isinstance(option, str) and 1 <= len(option) <= _MAX_OPTION for option in options):
        return None, _problem(400, f"each of poll.options must be 1 to {_MAX_OPTION} characters")
    if type(minutes) is not int or not _MIN_POLL_MINUTES <= minutes <= _MAX_POLL_MINUTES:
        return None, _problem(400, f"poll.duration_minutes must be {_MIN_POLL_MINUTES} to {_MAX_POLL_MINUTES}")
    labelled = [{"position": n, "label": label, "votes": 0} for n, label in enumerate(options, start=1)]
    ends = _timestamp(now + minutes * 60)
    return {"options": labelled, "duration_minutes": minutes, "end_datetime": ends, "voting_status": "open"}, None
