"""Polls (``POST /api/v3/polls``) and the poll post that names one. The question (≤500) and answers (≤60) are held
to Amity UIKit's limits, stricter than Amity's API on purpose."""

from __future__ import annotations

import secrets
from typing import Any

from tests.fakes.amity.bodies import json_object, now
from tests.fakes.amity.errors import Refusal, bad, invalid, not_found
from tests.fakes.amity.state import AmityState
from tests.fakes.http import Request, Response

MAX_POLL_QUESTION, MAX_POLL_ANSWER, MAX_POLL_ANSWERS = 500, 60, 10
_POLL_FIELDS = frozenset({"question", "answers", "answerType", "closedIn", "title"})


class PollRoutes(AmityState):
    async def _create_poll(self, request: Request) -> Response:
        user = self._caller(request, writes=True)
        body = json_object(request, _POLL_FIELDS)
        question = body.get("question")
        if not isinstance(question, str) or not question.strip():
            raise invalid("The 'question' field is required.")
        if len(question) > MAX_POLL_QUESTION:
            raise invalid(
                f"The 'question' field length must be less than or equal to {MAX_POLL_QUESTION} characters long."
            )
        answers = body.get("answers")
        if not isinstance(answers, list) or not 2 <= len(answers) <= MAX_POLL_ANSWERS:
            raise invalid(f"The 'answers' field must contain 2 to {MAX_POLL_ANSWERS} items.")
        for n, answer in enumerate(answers):
            if not isinstance(answer, dict) or set(answer) - {"dataType", "data"} or answer.get("dataType") != "text":
                raise invalid(f"The 'answers[{n}]' field must be {{dataType: 'text', data}}.")
            data = answer.get("data")
            if not isinstance(data, str) or not data.strip() or len(data) > MAX_POLL_ANSWER:
                raise invalid(f"The 'answers[{n}].data' field must be 1 to {MAX_POLL_ANSWER} characters long.")
        if body.get("answerType") not in (None, "single", "multiple"):
            raise invalid("The 'answerType' field does not match any of the allowed values.")
        closed_in = body.get("closedIn")
        if closed_in is not None and (
            isinstance(closed_in, bool) or not isinstance(closed_in, int | float) or closed_in <= 0
        ):
            raise invalid("The 'closedIn' field must be a positive number (milliseconds).")
        poll_id = secrets.token_hex(22) + str(next(self._serial))
        self._polls[poll_id] = {
            "pollId": poll_id,
            "userId": user["userId"],
            "question": question,
            "answerType": body.get("answerType"),
            "answers": [
                {"id": f"{poll_id}-{n}", "dataType": "text", "data": a["data"], "voteCount": 0, "isVotedByUser": False}
                for n, a in enumerate(answers)
            ],
            "closedIn": closed_in,
            "status": "open",
            "isVoted": False,
            "createdAt": now(),
        }
        return Response(200, {"polls": [self._polls[poll_id]], "users": [user]})

    def _poll_of(
        self, body: dict[str, Any], data: dict[str, Any], attachments: list[dict[str, str]], user: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The poll a post names (``dataType: "poll"``, ``data.pollId``), None for a text or media post."""
        data_type = body.get("dataType")
        if data_type is None:
            if "pollId" in data:
                raise bad("data.pollId needs dataType 'poll'")
            return None
        if data_type != "poll":
            raise bad(f"the fake takes text, media and poll posts, not dataType {data_type!r}")
        poll = self._polls.get(str(data.get("pollId")))
        if poll is None:
            raise not_found("Poll not found.")
        if poll["userId"] != user["userId"]:
            raise Refusal(403, 400300, "Forbidden error.")
        if attachments:
            raise bad("a poll post takes no attachments (Amity would ignore them)")
        return poll
