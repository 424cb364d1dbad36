"""``FakeTelegram``: the Bot API's ``/bot<token>/<method>`` routes (see the package's docstring)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.fakes.core import Conditions, Created, FakePlatform, Route
from tests.fakes.http import Request, Response
from tests.fakes.telegram import sending
from tests.fakes.telegram.answers import NOT_FOUND, UNAUTHORIZED, Refusal, bad_request, ok, telegram_shaped
from tests.fakes.telegram.chats import TOKEN_SHAPE, Chat, bot_for, known_chats, upgrade
from tests.fakes.telegram.checks import Invalid, check_call
from tests.fakes.telegram.spec import BotApiSpec

_PATH = re.compile(r"/bot([^/]*)/([A-Za-z]+)/?")
_TOKEN = "_token"  # where the path's token travels to the handler, as the core does with a template's ids
# Telegram's own words for the limits most often met; the rest are the spec check's.
_WORDED = {"text must be": "message is too long", "caption must be": "message caption is too long"}
_DELETE_WINDOW_SECONDS = 48 * 3600  # deleteMessage: "only if it was sent less than 48 hours ago"
SENDS = ("sendMessage", "sendPhoto", "sendVideo", "sendMediaGroup", "sendPoll")


class FakeTelegram(FakePlatform):
    write_paths = ("/bot/send",)  # every send method; getMe, getChat, getChatMember never get a fault

    def __init__(self, conditions: Conditions | None = None) -> None:
        super().__init__(conditions)
        self.spec = BotApiSpec.load()  # at start: a fake without its spec would check nothing
        self.chats = known_chats()
        self.calls: list[dict[str, Any]] = []  # each send's method and checked parameters, for /_fake/messages
        handlers = {"getMe": self._get_me, "getChat": self._get_chat, "getChatMember": self._get_chat_member}
        handlers.update(dict.fromkeys(SENDS, self._send))
        handlers["deleteMessage"] = self._delete_message
        self._routes: dict[tuple[str, str], Route] = {}
        for method, handler in handlers.items():
            route = self._route(method, handler)
            self._routes[("GET", f"/bot/{method}")] = self._routes[("POST", f"/bot/{method}")] = route

    def routes(self) -> dict[tuple[str, str], Route]:
        return self._routes

    async def __call__(self, request: Request) -> Response:
        if not request.path.startswith("/_fake/"):
            match = _PATH.fullmatch(request.path)
            if match is None:
                return NOT_FOUND
            method = self.spec.method(match[2]) or match[2]  # method names are case-insensitive
            request.path = f"/bot/{method}"
            request.query = {**request.query, _TOKEN: [unquote(match[1])]}
        return telegram_shaped(await super().__call__(request))

    def on_reset(self) -> None:
        self.calls.clear()

    def control(self, request: Request) -> Response:
        if request.path == "/_fake/messages" and request.method == "GET":
            return Response(200, self.calls)
        if request.path == "/_fake/age" and request.method == "POST":  # {"hours": N}: every message N hours older
            hours = float((request.json() or {}).get("hours", 0))
            for chat in self.chats.values():
                for message in chat.messages.values():
                    message["date"] -= int(hours * 3600)
            return Response(200, {"aged_hours": hours})
        if request.path == "/_fake/upgrade" and request.method == "POST":
            chat = self.chats.get(int((request.json() or {}).get("chat_id", 0)))
            if chat is None or chat.type != "group" or chat.migrated_to is not None:
                return Response(400, {"error": "only a basic group not upgraded yet can be upgraded"})
            return Response(200, {"migrate_to_chat_id": upgrade(self.chats, chat.id)})
        return super().control(request)

    # ---- every method: the token, the parameters against the spec -----------------------------------------

    def _route(self, method: str, handler: Any) -> Route:
        async def route(request: Request) -> Response:
            token = request.param(_TOKEN) or ""
            if TOKEN_SHAPE.fullmatch(token) is None:
                return NOT_FOUND
            bot = bot_for(token)
            if bot is None:
                return UNAUTHORIZED
            try:
                params, files, as_text = _parameters(request)
                checked = check_call(self.spec, method, params, files, as_text=as_text)
                return ok(await handler(method, bot, checked, files, request))
            except Invalid as problem:
                text = str(problem)
                worded = next((say for start, say in _WORDED.items() if text.startswith(start)), text)
                return bad_request(worded).response
            except Refusal as refusal:
                return refusal.response

        return route

    # ---- the methods ------------------------------------------------------------------------------------------

    async def _get_me(self, _method: str, bot: dict[str, Any], *_: Any) -> Any:
        return bot

    async def _get_chat(self, _method: str, _bot: dict[str, Any], params: dict[str, Any], *_: Any) -> Any:
        return self._chat(params["chat_id"]).full_info()

    async def _get_chat_member(self, _method: str, bot: dict[str, Any], params: dict[str, Any], *_: Any) -> Any:
        chat = self._chat(params["chat_id"])
        if params["user_id"] != bot["id"]:
            raise bad_request("user not found")
        return {**chat.member, "user": bot}

    async def _send(
        self, method: str, bot: dict[str, Any], params: dict[str, Any], files: dict[str, bytes], request: Request
    ) -> Any:
        chat = self._chat(params["chat_id"])
        sending.check_send(method, chat, params, files)
        reply = sending.replied(chat, params)
        count = len(params["media"]) if method == "sendMediaGroup" else 1
        messages = [
            self._message(chat, bot, reply, sending.content(method, params, files, n), request) for n in range(count)
        ]
        if method == "sendMediaGroup":
            group = f"1{messages[0]['message_id']:017d}"
            for message in messages:
                message["media_group_id"] = group
        first = messages[0]
        self.calls.append(
            {"method": method, "chat_id": chat.id, "message_ids": [m["message_id"] for m in messages], "params": params}
        )
        self.record(
            Created(
                id=str(first["message_id"]),
                account=str(bot["id"]),
                text=first.get("text") or first.get("caption") or first.get("poll", {}).get("question", ""),
                idempotency_key=None,  # the Bot API has none
                reply_to=None if reply is None else str(reply["message_id"]),
                received_at=request.received_at,
            )
        )
        return messages if method == "sendMediaGroup" else first

    async def _delete_message(
        self, _method: str, bot: dict[str, Any], params: dict[str, Any], _files: Any, request: Request
    ) -> Any:
        """True, and the message gone. Only within 48 hours of its date, and only the bot's own (a channel's posts
        are the channel's, which a bot allowed to post may delete) unless it is an administrator allowed to delete."""
        chat = self._chat(params["chat_id"])
        message = chat.messages.get(params["message_id"])
        if message is None:
            raise bad_request("message to delete not found")
        own = chat.type == "channel" or message.get("from", {}).get("id") == bot["id"]
        may_delete_any = chat.member["status"] == "creator" or chat.member.get("can_delete_messages") is True
        if request.received_at - message["date"] >= _DELETE_WINDOW_SECONDS or not (own or may_delete_any):
            raise bad_request("message can't be deleted")
        del chat.messages[params["message_id"]]
        return True

    # ---- helpers --------------------------------------------------------------------------------------------

    def _chat(self, chat_id: int | str) -> Chat:
        """The chat of a ``chat_id``, or Telegram's refusal: unknown, upgraded, or one the bot was removed from."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = next((c for c in self.chats.values() if c.username and f"@{c.username}" == chat_id.lower()), None)
        else:
            chat = self.chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise bad_request("group chat was upgraded to a supergroup chat", migrate_to_chat_id=chat.migrated_to)
        if chat.kicked:
            raise Refusal(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        return chat

    def _message(
        self, chat: Chat, bot: dict[str, Any], reply: dict[str, Any] | None, body: dict[str, Any], request: Request
    ) -> dict[str, Any]:
        message_id, chat.next_message_id = chat.next_message_id, chat.next_message_id + 1
        message: dict[str, Any] = {"message_id": message_id, "date": int(request.received_at), "chat": chat.as_json()}
        if chat.type == "channel":
            message["sender_chat"] = chat.as_json()  # a channel's posts are the channel's
        else:
            message["from"] = bot
        if reply is not None:
            message["reply_to_message"] = reply
        message.update(body)
        chat.messages[message_id] = message
        return message


def _parameters(request: Request) -> tuple[dict[str, Any], dict[str, bytes], bool]:
    """(parameters, file parts, whether the values are text) from the query string and the body, however sent."""
    params: dict[str, Any] = {k: v[-1] for k, v in request.query.items() if not k.startswith("_")}
    files: dict[str, bytes] = {}
    content_type = request.headers.get("content-type", "")
    if not request.body:
        return params, files, True
    if content_type.startswith("application/json"):
        body = request.json_object()
        if body is None:
            raise bad_request("can't parse JSON object")
        if params:
            raise bad_request("parameters both in the URL and in a JSON body")
        return body, files, False
    if content_type.startswith("multipart/form-data"):
        for name, filename, data in request.multipart():
            if filename is None:
                params[name] = data.decode()
            else:
                files[name] = data
        return params, files, True
    if content_type.startswith("application/x-www-form-urlencoded"):
        params.update({k: v[-1] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()})
        return params, files, True
    raise bad_request(f"unsupported Content-Type {content_type!r}")
