"""Reply policies as Bluesky threadgates: an ``app.bsky.feed.threadgate`` record whose key is the thread's main post's
key, listing who may reply (an empty list: nobody; no gate: everyone). The author may always answer their own thread,
so the thread's own segments post under any gate. The AppView enforces gates; the PDS only stores them."""

from __future__ import annotations

from typing import TypeAlias

from atproto_client import models

from adapters.base import ReplyPolicy

THREADGATE = "app.bsky.feed.threadgate"

Rule: TypeAlias = (
    models.AppBskyFeedThreadgate.FollowerRule
    | models.AppBskyFeedThreadgate.FollowingRule
    | models.AppBskyFeedThreadgate.MentionRule
)

_ALLOW: dict[ReplyPolicy, tuple[type[Rule], ...]] = {
    ReplyPolicy.FOLLOWERS: (models.AppBskyFeedThreadgate.FollowerRule,),
    ReplyPolicy.FOLLOWING: (models.AppBskyFeedThreadgate.FollowingRule,),
    ReplyPolicy.MENTIONED: (models.AppBskyFeedThreadgate.MentionRule,),  # those the main post mentions
    ReplyPolicy.NOBODY: (),
}
# Everything but "everyone", which is what a post without a gate allows.
GATED = frozenset(_ALLOW)


def needs_gate(policy: ReplyPolicy | None) -> bool:
    return policy in GATED


def threadgate(post_uri: str, policy: ReplyPolicy, created_at: str) -> models.AppBskyFeedThreadgate.Record:
    """The gate of the post at ``post_uri`` for ``policy`` (one of GATED)."""
    return models.AppBskyFeedThreadgate.Record(
        post=post_uri, allow=[rule() for rule in _ALLOW[policy]], created_at=created_at
    )
