"""``FakeSlack``: Slack's Web API methods the adapter calls, checked against their descriptions (methods.py), over
the workspace it holds (workspace.py), and the upload URL files.getUploadURLExternal hands out."""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.core import Created, FakePlatform, Route
from tests.fakes.http import Request, Response
from tests.fakes.slack import methods
from tests.fakes.slack.methods import fail, truthy
from tests.fakes.slack.workspace import (
    REVOKED_TOKEN,
    TEAM_ID,
    TEAM_NAME,
    TEAM_URL,
    Bot,
    Message,
    Upload,
    bot_for,
    rendered,
)
from tests.fakes.slack.workspace import channels as seeded_channels

MAX_TEXT = 40_000  # chat.postMessage refuses longer text (msg_too_long)
MAX_ALT_TXT = 1000
MAX_FILE_BYTES = 1024**3
UPLOADS = "/upload/v1/{ticket}"
METHODS = (
    "auth.test",
    "conversations.info",
    "chat.postMessage",
    "chat.getPermalink",
    "chat.delete",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)


class FakeSlack(FakePlatform):
    write_paths = ("/chat.postMessage", "/chat.delete", "/files.", "/upload/")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._seconds = itertools.count(1_700_000_000)
        self._ids = itertools.count(1)
        self._reset_workspace()
        handlers = {
            "auth.test": self._auth_test,
            "conversations.info": self._conversations_info,
            "chat.postMessage": self._post_message,
            "chat.getPermalink": self._get_permalink,
            "chat.delete": self._delete,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }
        self._routes: dict[tuple[str, str], Route] = {("POST", UPLOADS): self._upload}
        for name in METHODS:  # Slack takes every method as GET with a query string or POST with a form
            route = self._method(name, handlers[name])
            self._routes[("GET", f"/{name}")] = self._routes[("POST", f"/{name}")] = route

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    def _reset_workspace(self) -> None:
        self.channels = seeded_channels()
        self.messages: dict[tuple[str, str], Message] = {}
        self.uploads: dict[str, Upload] = {}
        self.next_errors: list[dict[str, Any]] = []  # {"method", "error", "applied"}: PUT /_fake/next_error

    async def __call__(self, request: Request) -> Response:
        if request.path == "/_fake/reset" and request.method == "POST":
            self._reset_workspace()
        return _slack_shaped(await super().__call__(request))

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/messages" and request.method == "GET":
            return Response(200, [asdict(m) for m in self.messages.values()])
        if request.path == "/_fake/files" and request.method == "GET":
            files = [{**asdict(u), "data": None, "size": len(u.data or b"")} for u in self.uploads.values()]
            return Response(200, files)
        if request.path == "/_fake/next_error" and request.method == "PUT":
            self.next_errors.append(request.json())
            return Response(200, {})
        return super().control(request)

    # ---- the envelope of every method ----------------------------------------------------------------------

    def _method(self, name: str, handler: Any) -> Route:
        async def route(request: Request) -> Response:
            token = request.bearer()
            bot = bot_for(token or "")
            if bot is None:
                code = "not_authed" if token is None else "token_revoked" if token == REVOKED_TOKEN else "invalid_auth"
                return fail(name, code)
            arguments = _arguments(request)
            refusal = methods.arguments(name, arguments)
            if refusal is not None:
                return refusal
            needed = methods.bot_scopes(name)
            if needed and not needed & bot.scopes:
                return fail(name, "missing_scope", needed=sorted(needed)[0], provided=",".join(sorted(bot.scopes)))
            planned = next((e for e in self.next_errors if e.get("method") == name), None)
            if planned is not None:
                self.next_errors.remove(planned)
                if not planned.get("applied"):
                    return fail(name, planned["error"])
            response: Response = await handler(request, bot, arguments)
            if planned is not None:  # applied, and then Slack reported a failure anyway
                return fail(name, planned["error"])
            response.headers["x-oauth-scopes"] = ",".join(sorted(bot.scopes))
            return response

        return route

    # ---- the methods ---------------------------------------------------------------------------------------

    async def _auth_test(self, _request: Request, bot: Bot, _args: dict[str, str]) -> Response:
        body = {"ok": True, "url": TEAM_URL, "team": TEAM_NAME, "user": bot.name, "team_id": TEAM_ID}
        return Response(200, {**body, "user_id": bot.user_id, "bot_id": bot.bot_id, "is_enterprise_install": False})

    async def _conversations_info(self, _request: Request, _bot: Bot, args: dict[str, str]) -> Response:
        channel = self.channels.get(args["channel"])
        if channel is None:
            return fail("conversations.info", "channel_not_found")
        return Response(200, {"ok": True, "channel": channel.as_json()})

    async def _post_message(self, request: Request, bot: Bot, args: dict[str, str]) -> Response:
        name = "chat.postMessage"
        channel = self.channels.get(args["channel"])
        if channel is None:
            return fail(name, "channel_not_found")
        if channel.is_archived:
            return fail(name, "is_archived")
        if not channel.is_member:
            return fail(name, "not_in_channel")
        text = args.get("text", "")
        if not text.strip() and not args.get("blocks") and not args.get("attachments"):
            return fail(name, "no_text")
        if len(text) > MAX_TEXT:
            return fail(name, "msg_too_long")
        thread_ts = args.get("thread_ts") or None
        if thread_ts is not None and not self._is_thread_parent(channel.id, thread_ts):
            return fail(name, "cannot_reply_to_message")  # stricter than Slack: never a reply's ts, never unknown
        plain = truthy(args.get("link_names")) or args.get("parse") == "full"
        shown, mentions, links = rendered(text, plain_mentions=plain)
        message = Message(channel.id, self._new_ts(), bot.user_id, text, thread_ts, shown, mentions, links)
        self.messages[(channel.id, message.ts)] = message
        self.record(Created(message.ts, bot.user_id, shown, None, thread_ts, request.received_at))
        return Response(200, {"ok": True, "channel": channel.id, "ts": message.ts, "message": message.as_json(bot)})

    async def _get_permalink(self, _request: Request, _bot: Bot, args: dict[str, str]) -> Response:
        if args["channel"] not in self.channels:
            return fail("chat.getPermalink", "channel_not_found")
        message = self.messages.get((args["channel"], args["message_ts"]))
        if message is None:
            return fail("chat.getPermalink", "message_not_found")
        link = f"{TEAM_URL}archives/{message.channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts:
            link += f"?thread_ts={message.thread_ts}&cid={message.channel}"
        return Response(200, {"ok": True, "channel": message.channel, "permalink": link})

    async def _delete(self, _request: Request, bot: Bot, args: dict[str, str]) -> Response:
        """A bot token deletes only the bot's own messages (cant_delete_message otherwise); the message is gone."""
        if args["channel"] not in self.channels:
            return fail("chat.delete", "channel_not_found")
        message = self.messages.get((args["channel"], args["ts"]))
        if message is None:
            return fail("chat.delete", "message_not_found")
        if message.user != bot.user_id:
            return fail("chat.delete", "cant_delete_message")
        del self.messages[(message.channel, message.ts)]
        return Response(200, {"ok": True, "channel": message.channel, "ts": message.ts})

    async def _get_upload_url(self, request: Request, _bot: Bot, args: dict[str, str]) -> Response:
        name = "files.getUploadURLExternal"
        length = int(args["length"])
        if length == 0:
            return fail(name, "missing_argument")
        if length > MAX_FILE_BYTES:
            return fail(name, "file_upload_size_restricted")
        alt_txt = args.get("alt_txt") or None
        if alt_txt is not None and len(alt_txt) > MAX_ALT_TXT:
            return fail(name, "alt_txt_too_large")
        upload = Upload(f"F0{next(self._ids):09d}", args["filename"], length, alt_txt)
        self.uploads[upload.file_id] = upload
        url = f"http://{request.headers.get('host', '127.0.0.1')}/upload/v1/{upload.file_id}"
        return Response(200, {"ok": True, "upload_url": url, "file_id": upload.file_id})

    async def _upload(self, request: Request) -> Response:
        """The upload URL: the file's bytes, raw or as a multipart part; Slack answers ``OK - <bytes>``."""
        upload = self.uploads.get(request.param("_ticket") or "")
        if upload is None or upload.completed:
            return Response(404, b"Not Found", {"content-type": "text/plain"})
        data = request.body
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            data = next((payload for _name, filename, payload in request.multipart() if filename), b"")
        if len(data) != upload.length:  # stricter than Slack, which would fail the completion later
            return Response(400, f"length {len(data)} is not the {upload.length} declared".encode(), _TEXT)
        upload.data = data
        return Response(200, f"OK - {len(data)}".encode(), _TEXT)

    async def _complete_upload(self, request: Request, bot: Bot, args: dict[str, str]) -> Response:
        name = "files.completeUploadExternal"
        files = json.loads(args["files"])
        if not files or not all(isinstance(f, dict) and isinstance(f.get("id"), str) for f in files):
            return fail(name, "invalid_arguments", response_metadata={"messages": ["[ERROR] files: [{id, title}]"]})
        if args.get("channels"):  # stricter than Slack: the adapter shares into one channel, by channel_id
            return fail(name, "invalid_arguments", response_metadata={"messages": ["[ERROR] use channel_id"]})
        waiting = [self.uploads.get(f["id"]) for f in files]
        if any(u is None or u.data is None or u.completed for u in waiting):
            return fail(name, "file_not_found")
        channel_id, thread_ts = args.get("channel_id") or None, args.get("thread_ts") or None
        if channel_id is None and thread_ts is not None:
            return fail(
                name, "invalid_arguments", response_metadata={"messages": ["[ERROR] thread_ts needs channel_id"]}
            )
        if channel_id is not None:
            channel = self.channels.get(channel_id)
            if channel is None:
                return fail(name, "channel_not_found")
            if channel.is_archived:
                return fail(name, "invalid_channel")
            if not channel.is_member:
                return fail(name, "not_in_channel")
            if thread_ts is not None and not self._is_thread_parent(channel_id, thread_ts):
                # Slack: "Never use a reply's ts value; use its parent instead." The fake refuses it.
                return fail(name, "invalid_arguments", response_metadata={"messages": ["[ERROR] not a parent ts"]})
        comment = args.get("initial_comment")
        if comment and channel_id is not None:  # a message Slack posts with the files (its ts is never answered)
            shown, mentions, links = rendered(comment, plain_mentions=False)
            note = Message(channel_id, self._new_ts(), bot.user_id, comment, thread_ts, shown, mentions, links)
            self.messages[(channel_id, note.ts)] = note
            self.record(Created(note.ts, bot.user_id, shown, None, thread_ts, request.received_at))
        answered = []
        for upload, given in zip(waiting, files, strict=True):
            assert upload is not None
            title = given.get("title") or upload.filename
            upload.completed = True
            upload.shared = {"title": title, "channel": channel_id, "thread_ts": thread_ts}
            answered.append({"id": upload.file_id, "title": title})
        return Response(200, {"ok": True, "files": answered})

    # ---- helpers -----------------------------------------------------------------------------------------------

    def _is_thread_parent(self, channel: str, ts: str) -> bool:
        message = self.messages.get((channel, ts))
        return message is not None and message.thread_ts is None

    def _new_ts(self) -> str:
        return f"{next(self._seconds)}.{next(self._ids):06d}"


_TEXT = {"content-type": "text/plain"}


def _arguments(request: Request) -> dict[str, str]:
    """A call's arguments: the query string, then the body (a form, or a JSON object for the methods that take
    one), as Slack reads them. Only the last value of a repeated argument counts."""
    found = {k: v[-1] for k, v in request.query.items() if not k.startswith("_")}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        found.update({k: v[-1] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()})
    elif content_type.startswith("application/json"):
        body = request.json_object() or {}
        for key, value in body.items():
            is_text = isinstance(value, str)
            found[key] = value if is_text else json.dumps(value) if not isinstance(value, bool) else str(value).lower()
    return found


def _slack_shaped(response: Response) -> Response:
    """The shared conditions answer faults in a generic shape: Slack's 429 carries ``ratelimited``; a 5xx comes from
    its edge, as a page rather than Slack's JSON."""
    body = response.body
    if response.status == 429 and not (isinstance(body, dict) and "ok" in body):
        return Response(429, {"ok": False, "error": "ratelimited"}, response.headers)
    if response.status >= 500 and isinstance(body, dict) and "ok" not in body:
        return Response(
            response.status, b"<html><body>Slack is having trouble</body></html>", {"content-type": "text/html"}
        )
    return response
