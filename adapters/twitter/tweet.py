"""What one ``POST /2/tweets`` carries, as tweepy's ``create_tweet`` takes it: the text, the post it replies to, the
media, and on the main post the poll and who may reply.

Polls as X documents them (the spec's ``CreatePostsPoll``): 2 to 4 options of 1 to 25 characters, open 5 minutes to
7 days; a poll is mutually exclusive with media (and quotes). ``poll.question`` is not X's: the post's text is what
people vote on.

Who may reply is the spec's ``reply_settings``: ``following`` (accounts the author follows, and those it mentions),
``mentionedUsers`` (only the accounts it mentions); left out, everyone may reply. X has no setting for followers
only or for nobody at all, so those are refused at validation (never widened to a looser one). The setting goes on
the main post alone: a post's replies inherit the restriction of the conversation's root, and the author can
always reply in their own conversation, so the thread's other segments follow it without being told.
"""

from __future__ import annotations

from typing import Any

from adapters.base import PollRules, PublishRequest, Rejected, ReplyPolicy

POLL_RULES = PollRules(
    max_options=4, max_option_chars=25, min_duration_minutes=5, max_duration_minutes=7 * 24 * 60, with_media=False
)
_REPLY_SETTINGS = {ReplyPolicy.FOLLOWING: "following", ReplyPolicy.MENTIONED: "mentionedUsers"}
REPLY_POLICIES = frozenset({ReplyPolicy.EVERYONE, *_REPLY_SETTINGS})


def tweet_arguments(request: PublishRequest, media_ids: list[str]) -> dict[str, Any]:
    """``create_tweet``'s keyword arguments for ``request`` (``media_ids`` already uploaded)."""
    arguments: dict[str, Any] = {
        "text": request.segment.text or None,  # media-only posts leave text out
        "in_reply_to_tweet_id": request.parent.id if request.parent else None,
        "media_ids": media_ids or None,
    }
    if request.poll is not None:  # the publisher hands the poll to the main post only
        arguments["poll_options"] = list(request.poll.options)
        arguments["poll_duration_minutes"] = request.poll.duration_minutes
    if request.is_main:
        arguments["reply_settings"] = reply_settings(request.reply_policy)
    return arguments


def reply_settings(policy: ReplyPolicy | None) -> str | None:
    """X's ``reply_settings`` for ``policy`` (None: everyone, X's default). A policy X cannot express is refused
    here too, should one get past validation: never posted more open than asked."""
    if policy is None or policy == ReplyPolicy.EVERYONE:
        return None
    if policy not in _REPLY_SETTINGS:
        raise Rejected(f"X cannot limit replies to {policy.value!r}; it can to 'following' and 'mentioned'")
    return _REPLY_SETTINGS[policy]
