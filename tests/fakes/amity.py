"""Amity Social Cloud as far as the real adapter (adapters/amity/, httpx) needs it: ``GET /api/v4/me/followInfo``,
``GET /api/v3/users/{userId}``, uploads (``POST /api/v4/images``, ``/api/v4/videos``, ``/api/v4/files``;
multipart ``files``), ``PUT``/``GET /api/v3/files/{fileId}`` (alt text), ``POST /api/v3/polls``,
``POST /api/v4/posts``, ``GET /api/v3/posts/{postId}``, ``POST /api/v3/comments`` and
``GET /api/v3/comments/{commentId}``. Fields, limits and errors as the seed (../shared/seeds/amity-create-post-api.txt)
and Amity's API reference give them, answered in Amity's envelope ``{"status": "error", "code", "message",
"data": {"detail": [...]}}`` with its HTTP statuses.

Strict where Amity is: ``Authorization: Bearer <token>`` (any token is a user, the token names it, except
``REVOKED_TOKEN``: 401 with code 400100; ``VISITOR_TOKEN`` may read but not write: 403999); a post needs text or at
least one attachment; text ≤20,000 UTF-16 code units (posts and comments; a parameter error: 422, code 500000,
with the field's detail); attachments ≤10, each naming a file that was uploaded, of its type; tags ≤5 of ≤24;
hashtags ≤30 of ≤100; mentionees ≤2 of ``{"type": "user", "userIds"}``; a custom ``postId``/``commentId`` taken
already answers 400315 "Data already exists" (403); a poll post names a poll created here; a comment's
``referenceId`` must be a post (404, 400400); a community target must exist (404) and have the user as a member
(403, 400100 "is not join this community"); a user target is the caller's own feed (403, 400301 otherwise).
Uploads take JPG/PNG images and MP4/QuickTime/WebM videos (by their bytes). Stricter than Amity on purpose:
unknown fields are refused (400, 400000), attachments on a poll post are refused (Amity ignores them), and poll
questions (≤500) and answers (≤60) are held to Amity UIKit's limits.

Communities: ``COMMUNITY_ID`` (every user is a member), ``CLOSED_COMMUNITY_ID`` (nobody is).

Control: ``PUT /_fake/next_error`` ``{"status", "code", "message", "count"}`` answers the next ``count`` API calls
with that error envelope (a test's way to meet each of Amity's error codes); ``POST /_fake/reset`` drops them.

Faults (``Conditions``) hit the creates and uploads and are answered as Amity does: a 429 carries code 400311
("RateLimit Exceed."), a 5xx code 500000 ("Unexpected error").

``created()`` rows: one per post or comment; ``idempotency_key`` is the id the client chose for it (None when it
chose none); ``reply_to`` is the post a comment is on.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from typing import Any

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response

REVOKED_TOKEN = "revoked-amity-token"
VISITOR_TOKEN = "visitor-amity-token"
COMMUNITY_ID = "octopost-friends"
CLOSED_COMMUNITY_ID = "staff-only"
MAX_TEXT = 20_000
MAX_ATTACHMENTS = 10
MAX_TAGS, MAX_TAG = 5, 24
MAX_HASHTAGS, MAX_HASHTAG = 30, 100
MAX_MENTIONEES = 2
MAX_ID = 900
MAX_ALT_TEXT = 180
MAX_UPLOAD_BYTES = 1024**3
MAX_POLL_QUESTION, MAX_POLL_ANSWER, MAX_POLL_ANSWERS = 500, 60, 10

_POST_FIELDS = frozenset({"data", "attachments", "dataType", "targetType", "targetId", "metadata", "postId", "tags",
                          "hashtags", "mentionees", "createdAt", "isDiscoverable"})
_POST_DATA_FIELDS = frozenset({"text", "title", "pollId"})
_COMMENT_FIELDS = frozenset({"referenceId", "referenceType", "data", "metadata", "commentId", "parentId",
                             "mentionees", "createdAt", "attachments"})
_POLL_FIELDS = frozenset({"question", "answers", "answerType", "closedIn", "title"})
_UPLOAD_PARTS = frozenset({"files", "preferredFilename", "accessType", "feedType"})


class Refusal(Exception):
    """Raised by a check: the answer Amity gives instead."""

    def __init__(self, status: int, code: int, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        body: dict[str, Any] = {"status": "error", "code": code, "message": message}
        if detail is not None:
            body["data"] = {"detail": [detail]}
        self.response = Response(status, body)


def _bad(detail: str) -> Refusal:
    return Refusal(400, 400000, "Bad Request.", detail)


def _invalid(detail: str) -> Refusal:
    """A parameter error, worded the way Amity's validator words it."""
    return Refusal(422, 500000, "Parameters error.", detail)


def _not_found(message: str) -> Refusal:
    return Refusal(404, 400400, message)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def _user(token: str) -> dict[str, Any]:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return {"userId": f"user-{digest[:12]}", "userPublicId": f"user-{digest[:12]}", "userInternalId": digest[:24],
            "displayName": f"Fake User {int(digest[:6], 16) % 1000}", "profileHandle": f"fake_{digest[:8]}",
            "avatarFileId": f"avatar{digest[:26]}", "roles": [], "metadata": {}, "isGlobalBan": False,
            "isDeleted": False, "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": "2024-01-01T00:00:00.000Z"}


def _kind_of(data: bytes) -> str | None:
    """What an upload's bytes are: Amity takes JPG and PNG images, and videos it can transcode."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return "image"
    if data[4:8] == b"ftyp" or data.startswith(b"\x1a\x45\xdf\xa3"):  # MP4/QuickTime, WebM/Matroska
        return "video"
    return None


class FakeAmity(FakePlatform):
    write_paths = ("/api/v4/posts", "/api/v3/comments", "/api/v3/polls", "/api/v4/images", "/api/v4/videos",
                   "/api/v4/files")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._serial = itertools.count(1)
        self._users: dict[str, dict[str, Any]] = {}
        self._files: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, dict[str, Any]] = {}
        self._posts: dict[str, dict[str, Any]] = {}
        self._children: dict[str, list[dict[str, Any]]] = {}  # post id → its child posts (one per attachment)
        self._comments: dict[str, dict[str, Any]] = {}
        self._scripted: list[Response] = []  # errors to answer before anything else (PUT /_fake/next_error)
        routes: dict[tuple[str, str], Route] = {
            ("GET", "/api/v4/me/followInfo"): self._follow_info,
            ("GET", "/api/v3/users/{user_id}"): self._get_user,
            ("POST", "/api/v4/images"): self._upload,
            ("POST", "/api/v4/videos"): self._upload,
            ("POST", "/api/v4/files"): self._upload,
            ("PUT", "/api/v3/files/{file_id}"): self._update_file,
            ("GET", "/api/v3/files/{file_id}"): self._get_file,
            ("POST", "/api/v3/polls"): self._create_poll,
            ("POST", "/api/v4/posts"): self._create_post,
            ("GET", "/api/v3/posts/{post_id}"): self._get_post,
            ("POST", "/api/v3/comments"): self._create_comment,
            ("GET", "/api/v3/comments/{comment_id}"): self._get_comment,
        }
        self._routes = {path: _answering_refusals(route) for path, route in routes.items()}

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        return _amity_shaped(await super().__call__(request))

    async def _answer(self, request: Request) -> Response:
        if self._scripted:
            return self._scripted.pop(0)
        return await super()._answer(request)

    def _control(self, request: Request) -> Response:
        if request.path == "/_fake/reset":
            self._scripted.clear()
        return super()._control(request)

    def control(self, request: Request) -> Response:
        if request.path != "/_fake/next_error" or request.method != "PUT":
            return super().control(request)
        body = request.json_object() or {}
        error = {"status": "error", "code": body.get("code"), "message": body.get("message", "")}
        self._scripted = [Response(int(body.get("status", 400)), error)] * int(body.get("count", 1))
        return Response(200, {"scripted": len(self._scripted)})

    # ---- who is calling ----------------------------------------------------------------------------------

    def _caller(self, request: Request, *, writes: bool = False) -> dict[str, Any]:
        token = request.bearer()
        if not token or token.strip() == REVOKED_TOKEN:
            raise Refusal(401, 400100, "Unauthorized")
        if writes and token.strip() == VISITOR_TOKEN:
            raise Refusal(403, 403999, "Visitor permission denied")
        user = _user(token.strip())
        self._users.setdefault(user["userId"], user)
        return user

    async def _follow_info(self, request: Request) -> Response:
        user = self._caller(request)
        counts = {"userId": user["userId"], "followerCount": 0, "followingCount": 0, "pendingCount": 0}
        return Response(200, {"followCounts": [counts]})

    async def _get_user(self, request: Request) -> Response:
        self._caller(request)
        user = self._users.get(request.param("_user_id") or "")
        if user is None:
            raise _not_found("User Not Found.")
        avatar = {"fileId": user["avatarFileId"], "type": "image", "accessType": "public",
                  "fileUrl": f"https://api.amity.example/api/v3/files/{user['avatarFileId']}/download"}
        return Response(200, {"users": [user], "files": [avatar], "roles": []})

    # ---- files and polls ---------------------------------------------------------------------------------

    async def _upload(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise _bad("the upload must be multipart/form-data")
        kind = {"/api/v4/images": "image", "/api/v4/videos": "video"}.get(request.path, "file")
        uploaded = []
        for name, filename, data in request.multipart():
            if name not in _UPLOAD_PARTS:
                raise _bad(f"The fake does not know the form field {name!r}")
            if name != "files":
                continue
            if not filename or not data:
                raise _bad("each file needs a filename and content")
            if len(data) > MAX_UPLOAD_BYTES:
                raise Refusal(413, 500000, "Payload too large.")
            if kind != "file" and _kind_of(data) != kind:
                if kind == "video":
                    raise Refusal(400, 400002, "Video format invalid")
                raise _bad(f"{filename} is not a JPG or PNG image")
            file_id = secrets.token_hex(16)
            self._files[file_id] = {
                "fileId": file_id, "type": kind, "accessType": "public", "altText": None, "owner": user["userId"],
                "fileUrl": f"https://api.amity.example/api/v3/files/{file_id}/download", "createdAt": _now(),
                "attributes": {"name": filename, "size": len(data), "extension": filename.rsplit(".", 1)[-1]},
            }
            uploaded.append(self._public(self._files[file_id]))
        if not uploaded:
            raise _invalid("The 'files' field is required.")
        return Response(200, uploaded)

    async def _update_file(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        file = self._file(request.param("_file_id") or "")
        body = _object(request, frozenset({"altText"}))
        alt = body.get("altText")
        if not isinstance(alt, str):
            raise _invalid("The 'altText' field must be a string.")
        if len(alt) > MAX_ALT_TEXT:
            raise _invalid(f"The 'altText' field length must be less than or equal to {MAX_ALT_TEXT} characters long.")
        if file["owner"] != user["userId"]:
            raise Refusal(403, 400301, "Permission denied")
        file["altText"] = alt
        return Response(200, [self._public(file)])

    async def _get_file(self, request: Request) -> Response:
        self._caller(request)
        return Response(200, self._public(self._file(request.param("_file_id") or "")))

    async def _create_poll(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = _object(request, _POLL_FIELDS)
        question = body.get("question")
        if not isinstance(question, str) or not question.strip():
            raise _invalid("The 'question' field is required.")
        if len(question) > MAX_POLL_QUESTION:
            raise _invalid(f"The 'question' field length must be less than or equal to {MAX_POLL_QUESTION} "
                           "characters long.")
        answers = body.get("answers")
        if not isinstance(answers, list) or not 2 <= len(answers) <= MAX_POLL_ANSWERS:
            raise _invalid(f"The 'answers' field must contain 2 to {MAX_POLL_ANSWERS} items.")
        for n, answer in enumerate(answers):
            if not isinstance(answer, dict) or set(answer) - {"dataType", "data"} or answer.get("dataType") != "text":
                raise _invalid(f"The 'answers[{n}]' field must be {{dataType: 'text', data}}.")
            data = answer.get("data")
            if not isinstance(data, str) or not data.strip() or len(data) > MAX_POLL_ANSWER:
                raise _invalid(f"The 'answers[{n}].data' field must be 1 to {MAX_POLL_ANSWER} characters long.")
        if body.get("answerType") not in (None, "single", "multiple"):
            raise _invalid("The 'answerType' field does not match any of the allowed values.")
        closed_in = body.get("closedIn")
        if closed_in is not None and (isinstance(closed_in, bool) or not isinstance(closed_in, int | float)
                                      or closed_in <= 0):
            raise _invalid("The 'closedIn' field must be a positive number (milliseconds).")
        poll_id = secrets.token_hex(22) + str(next(self._serial))
        self._polls[poll_id] = {
            "pollId": poll_id, "userId": user["userId"], "question": question, "answerType": body.get("answerType"),
            "answers": [{"id": f"{poll_id}-{n}", "dataType": "text", "data": a["data"], "voteCount": 0,
                         "isVotedByUser": False} for n, a in enumerate(answers)],
            "closedIn": closed_in, "status": "open", "isVoted": False, "createdAt": _now(),
        }
        return Response(200, {"polls": [self._polls[poll_id]], "users": [user]})

    # ---- posts and comments ------------------------------------------------------------------------------

    async def _create_post(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = _object(request, _POST_FIELDS)
        data = body.get("data")
        if not isinstance(data, dict):
            raise _invalid("The 'data' field is required.")
        unknown = sorted(set(data) - _POST_DATA_FIELDS)
        if unknown:
            raise _bad(f"The fake does not know the field 'data.{unknown[0]}'")
        text = _text(data.get("text"))
        attachments = self._attachments(body.get("attachments"), kinds=("image", "file", "video"))
        poll = self._poll_of(body, data, attachments, user)
        if poll is None and not text.strip() and not attachments:
            raise _bad("require text or at least 1 attachments")
        target_type, target_id = self._target(body, user)
        _strings(body.get("tags"), "tags", MAX_TAGS, MAX_TAG)
        _strings(body.get("hashtags"), "hashtags", MAX_HASHTAGS, MAX_HASHTAG)
        _mentionees(body.get("mentionees"))
        if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
            raise _invalid("The 'metadata' field must be an object.")
        if "isDiscoverable" in body and not isinstance(body["isDiscoverable"], bool):
            raise _invalid("The 'isDiscoverable' field must be a boolean.")
        post_id = self._new_id(body.get("postId"), "postId", self._posts)
        children = [
            {"postId": secrets.token_hex(12), "parentPostId": post_id, "dataType": a["type"],
             "data": {"fileId": a["fileId"]}, "postedUserId": user["userId"], "createdAt": _now()}
            for a in attachments
        ]
        post = {
            "postId": post_id, "_id": secrets.token_hex(12), "path": f"{target_type}/{target_id}/post/{post_id}",
            "data": {k: v for k, v in data.items() if k != "pollId"} | ({"pollId": poll["pollId"]} if poll else {}),
            "dataType": "poll" if poll else "text", "postedUserId": user["userId"], "targetType": target_type,
            "targetId": target_id, "metadata": body.get("metadata") or {}, "tags": body.get("tags") or [],
            "hashtags": body.get("hashtags") or [], "mentionees": body.get("mentionees") or [],
            "isDiscoverable": body.get("isDiscoverable", True), "children": [c["postId"] for c in children],
            "comments": [], "commentsCount": 0, "reactions": {}, "reactionsCount": 0, "isDeleted": False,
            "createdAt": _now(), "updatedAt": _now(),
        }
        self._posts[post_id], self._children[post_id] = post, children
        self.record(Created(id=post_id, account=user["userId"], text=text, idempotency_key=body.get("postId"),
                            reply_to=None, received_at=request.received_at))
        return Response(200, self._post_answer(post, user))

    async def _get_post(self, request: Request) -> Response:
        user = self._caller(request)
        post = self._posts.get(request.param("_post_id") or "")
        if post is None:
            raise _not_found("Resource Not Found.")
        return Response(200, self._post_answer(post, user))

    async def _create_comment(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = _object(request, _COMMENT_FIELDS)
        reference = body.get("referenceId")
        if not isinstance(reference, str) or not reference or len(reference) > MAX_ID:
            raise _invalid("The 'referenceId' field is required.")
        if body.get("referenceType", "post") != "post":
            raise _bad("the fake takes comments on posts only (referenceType: post)")
        data = body.get("data") or {}
        if not isinstance(data, dict) or set(data) - {"text"}:
            raise _bad("The fake knows only 'data.text' in a comment")
        text = _text(data.get("text"))
        attachments = self._attachments(body.get("attachments"), kinds=("image", "video"))
        if not text.strip() and not attachments:
            raise _bad("require text or at least 1 attachments")
        _mentionees(body.get("mentionees"))
        post = self._posts.get(reference)
        if post is None:
            raise _not_found("Post not found.")
        parent = body.get("parentId")
        if parent is not None and self._comments.get(parent, {}).get("referenceId") != reference:
            raise _not_found("Parent comment not found.")
        comment_id = self._new_id(body.get("commentId"), "commentId", self._comments)
        comment = {
            "commentId": comment_id, "userId": user["userId"], "referenceId": reference, "referenceType": "post",
            "parentId": parent, "data": data, "dataTypes": ["text", *sorted({a["type"] for a in attachments})],
            "attachments": attachments, "metadata": body.get("metadata") or {}, "isDeleted": False,
            "mentionees": body.get("mentionees") or [], "createdAt": _now(), "updatedAt": _now(),
        }
        self._comments[comment_id] = comment
        post["comments"].append(comment_id)
        post["commentsCount"] += 1
        self.record(Created(id=comment_id, account=user["userId"], text=text, idempotency_key=body.get("commentId"),
                            reply_to=reference, received_at=request.received_at))
        return Response(200, self._comment_answer(comment, user))

    async def _get_comment(self, request: Request) -> Response:
        user = self._caller(request)
        comment = self._comments.get(request.param("_comment_id") or "")
        if comment is None:
            raise _not_found("Resource Not Found.")
        return Response(200, self._comment_answer(comment, user))

    # ---- checks ------------------------------------------------------------------------------------------

    def _file(self, file_id: str) -> dict[str, Any]:
        file = self._files.get(file_id)
        if file is None:
            raise _not_found(f"File not found {file_id}.")
        return file

    def _attachments(self, value: Any, *, kinds: tuple[str, ...]) -> list[dict[str, str]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise _invalid("The 'attachments' field must be an array.")
        if len(value) > MAX_ATTACHMENTS:
            raise _invalid(f"The 'attachments' field must contain less than or equal to {MAX_ATTACHMENTS} items.")
        found = []
        for n, item in enumerate(value):
            if not isinstance(item, dict) or set(item) - {"fileId", "type", "displayMode", "isMuted"}:
                raise _bad(f"attachments[{n}] must be {{fileId, type}}")
            if item.get("type") not in kinds:
                raise _invalid(f"The 'attachments[{n}].type' field does not match any of the allowed values.")
            file = self._file(str(item.get("fileId")))
            if file["type"] != item["type"]:
                raise _bad(f"attachments[{n}] is a {file['type']}, not a {item['type']}")
            found.append({"fileId": file["fileId"], "type": file["type"]})
        return found

    def _poll_of(
        self, body: dict[str, Any], data: dict[str, Any], attachments: list[dict[str, str]], user: dict[str, Any]
    ) -> dict[str, Any] | None:
        data_type = body.get("dataType")
        if data_type is None:
            if "pollId" in data:
                raise _bad("data.pollId needs dataType 'poll'")
            return None
        if data_type != "poll":
            raise _bad(f"the fake takes text, media and poll posts, not dataType {data_type!r}")
        poll = self._polls.get(str(data.get("pollId")))
        if poll is None:
            raise _not_found("Poll not found.")
        if poll["userId"] != user["userId"]:
            raise Refusal(403, 400300, "Forbidden error.")
        if attachments:
            raise _bad("a poll post takes no attachments (Amity would ignore them)")
        return poll

    def _target(self, body: dict[str, Any], user: dict[str, Any]) -> tuple[str, str]:
        target_type = body.get("targetType", "user")
        target_id = body.get("targetId")
        if target_type not in ("user", "community", "content"):
            raise _invalid("The 'targetType' field does not match any of the allowed values.")
        if target_id is not None and (not isinstance(target_id, str) or not target_id or len(target_id) > MAX_ID):
            raise _invalid(f"The 'targetId' field must be a string of 1 to {MAX_ID} characters.")
        if target_type == "content":
            raise _bad("the fake takes posts on user and community feeds only")
        if target_type == "user":
            if target_id not in (None, user["userId"]):
                raise Refusal(403, 400301, "Permission denied")
            return "user", user["userId"]
        if target_id is None:
            raise _invalid("The 'targetId' field is required.")
        if target_id not in (COMMUNITY_ID, CLOSED_COMMUNITY_ID):
            raise _not_found("Community not found.")
        if target_id == CLOSED_COMMUNITY_ID:
            raise Refusal(403, 400100, f"User {user['userId']} is not join this community {target_id}")
        return "community", target_id

    def _new_id(self, chosen: Any, name: str, taken: dict[str, Any]) -> str:
        if chosen is None:
            return secrets.token_hex(12)
        if not isinstance(chosen, str) or not chosen or len(chosen) > MAX_ID:
            raise _invalid(f"The '{name}' field length must be less than or equal to {MAX_ID} characters long.")
        if chosen in taken:
            raise Refusal(403, 400315, "Data already exists")
        return chosen

    # ---- answers -----------------------------------------------------------------------------------------

    def _public(self, file: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in file.items() if k != "owner"}

    def _post_answer(self, post: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        children = self._children.get(post["postId"], [])
        poll = self._polls.get(post["data"].get("pollId", ""))
        return {"posts": [post], "postChildren": children, "comments": [], "users": [user],
                "files": [self._public(self._files[c["data"]["fileId"]]) for c in children],
                "polls": [poll] if poll else [], "communities": [], "communityUsers": []}

    def _comment_answer(self, comment: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        files = [self._public(self._files[a["fileId"]]) for a in comment["attachments"]]
        return {"comments": [comment], "commentChildren": [], "users": [user], "files": files, "communityUsers": []}


# ---- request bodies ----------------------------------------------------------------------------------------


def _object(request: Request, fields: frozenset[str]) -> dict[str, Any]:
    body = request.json_object()
    if body is None:
        raise _bad("the body must be a JSON object")
    unknown = sorted(set(body) - fields)
    if unknown:
        raise _bad(f"The fake does not know the field {unknown[0]!r}")
    return body


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid("The 'data.text' field must be a string.")
    if _utf16(value) > MAX_TEXT:
        raise _invalid(f"The 'data.text' field length must be less than or equal to {MAX_TEXT} characters long.")
    return value


def _strings(value: Any, name: str, most: int, longest: int) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _invalid(f"The '{name}' field must be an array of strings.")
    if len(value) > most:
        raise _invalid(f"The '{name}' field must contain less than or equal to {most} items.")
    for n, item in enumerate(value):
        if _utf16(item) > longest:
            raise _invalid(f"The '{name}[{n}]' field length must be less than or equal to {longest} characters long.")


def _mentionees(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_MENTIONEES:
        raise _invalid(f"The 'mentionees' field must contain less than or equal to {MAX_MENTIONEES} items.")
    for n, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"type", "userIds"} or item.get("type") != "user":
            raise _invalid(f"The 'mentionees[{n}]' field must be {{type: 'user', userIds}}.")
        ids = item.get("userIds")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
            raise _invalid(f"The 'mentionees[{n}].userIds' field must be a non-empty array of user ids.")


def _answering_refusals(route: Route) -> Route:
    async def answer(request: Request) -> Response:
        try:
            return await route(request)
        except Refusal as refusal:
            return refusal.response

    return answer


def _amity_shaped(response: Response) -> Response:
    """The shared conditions (and the core's unknown route) answer in a generic shape; Amity's look like this."""
    body = response.body if isinstance(response.body, dict) else {}
    if body.get("status") == "error" or response.status < 400:
        return response
    if response.status == 429:
        return Response(429, {"status": "error", "code": 400311, "message": "RateLimit Exceed."}, response.headers)
    if response.status >= 500:
        return Response(response.status, {"status": "error", "code": 500000, "message": "Unexpected error"})
    if response.status == 404:
        return Response(404, {"status": "error", "code": 400400, "message": "Resource Not Found."})
    return response
