"""A message's ``poll``: checked as Discord documents it and answered back as Discord does."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.discord.errors import invalid
from tests.fakes.http import Response

_POLL_FIELDS = frozenset({"question", "answers", "duration", "allow_multiselect", "layout_type"})
MAX_QUESTION, MAX_ANSWERS, MAX_ANSWER, MAX_POLL_HOURS, DEFAULT_POLL_HOURS = 300, 10, 55, 768, 24


def poll(value: Any, now: float) -> tuple[dict[str, Any] | None, Response | None]:
    """A message's ``poll`` (PollCreateRequest) as Discord answers it back (PollResponse), or its refusal."""
    if value is None:
        return None, None
    unknown = sorted(set(value) - _POLL_FIELDS) if isinstance(value, dict) else ["poll"]
    if unknown:
        return None, invalid(f"poll.{unknown[0]}", "UNKNOWN_FIELD", f"The fake does not know the field {unknown[0]!r}")
    question, answers, hours = value.get("question"), value.get("answers"), value.get("duration", DEFAULT_POLL_HOURS)
    if not _media_fits(question, MAX_QUESTION, {"text"}):
        return None, _bad_length("poll.question.text", MAX_QUESTION)
    if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_ANSWERS:
        return None, _bad_length("poll.answers", MAX_ANSWERS)
    for n, answer in enumerate(answers):
        media = answer.get("poll_media") if isinstance(answer, dict) and set(answer) == {"poll_media"} else None
        if not _media_fits(media, MAX_ANSWER):
            return None, _bad_length(f"poll.answers.{n}.poll_media.text", MAX_ANSWER)
    if type(hours) is not int or not 1 <= hours <= MAX_POLL_HOURS:
        return None, invalid("poll.duration", "NUMBER_TYPE_MAX", f"int value should be 1 to {MAX_POLL_HOURS}.")
    if value.get("allow_multiselect") not in (None, True, False) or value.get("layout_type") not in (None, 1):
        return None, invalid("poll", "BASE_TYPE_CHOICES", "allow_multiselect is a boolean, layout_type 1.")
    return {
        "question": {"text": question["text"]},
        "answers": [{"answer_id": n, "poll_media": a["poll_media"]} for n, a in enumerate(answers, start=1)],
        "expiry": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now + hours * 3600)) + ".000000+00:00",
        "allow_multiselect": bool(value.get("allow_multiselect")),
        "layout_type": 1,
        "results": {"is_finalized": False, "answer_counts": []},
    }, None


def _media_fits(media: Any, limit: int, fields: frozenset[str] | set[str] = frozenset({"text", "emoji"})) -> bool:
    """A poll media object (``{"text", "emoji"?}``) whose text is 1 to ``limit`` characters."""
    text = media.get("text") if isinstance(media, dict) and not set(media) - fields else None
    return isinstance(text, str) and 1 <= len(text) <= limit


def _bad_length(field_path: str, limit: int) -> Response:
    return invalid(field_path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")
