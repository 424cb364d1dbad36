"""Discord polls: a message's ``poll`` object (the spec's PollCreateRequest) and the limits Discord documents for it.

A poll asks a question of its own (the post's ``poll.question``, else its first line) and offers up to 10 answers of
up to 55 characters each (the question: 300); it stays open 1 to 768 hours (32 days), counted in whole hours. One
answer per voter (``allow_multiselect`` false). Discord documents a poll as one field of a message among the others
(content, embeds, files), with no rule against attachments: a poll may go with images or a video.
"""

from __future__ import annotations

from typing import Any

from adapters.base import Poll, PollRules, Rejected
from adapters.text import first_line

MAX_QUESTION_CHARS = 300
_HOUR = 60

POLL_RULES = PollRules(
    max_options=10,
    max_option_chars=55,
    min_duration_minutes=_HOUR,
    max_duration_minutes=768 * _HOUR,
    duration_step_minutes=_HOUR,  # Discord's duration is in hours
    with_media=True,
    # poll.question is held to it by validation; a question taken from the post's first line is cut to it.
    max_question_chars=MAX_QUESTION_CHARS,
)


def poll_object(poll: Poll, text: str) -> dict[str, Any]:
    """The ``poll`` of the message whose content is ``text``."""
    question = poll.question or first_line(text, MAX_QUESTION_CHARS)
    if not question:
        raise Rejected("Discord: a poll needs a question: give poll.question, or text for the post's first line")
    return {
        "question": {"text": question},
        "answers": [{"poll_media": {"text": option}} for option in poll.options],
        "duration": poll.duration_minutes // _HOUR,  # whole hours: validation refuses anything else
        "allow_multiselect": False,
    }
