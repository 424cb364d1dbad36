"""The ONE table of post status transitions, its guard, and how a post's status follows from its targets."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from octopost.errors import Conflict


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"


class TargetStatus(StrEnum):
    PENDING = "pending"  # waiting for next_attempt_at
    PUBLISHING = "publishing"  # claimed by a worker under a lease
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"  # the outcome could not be known; never reposted blindly


TERMINAL_TARGET = frozenset({TargetStatus.SUCCEEDED, TargetStatus.FAILED, TargetStatus.UNCONFIRMED})

# (from, to) -> the action that takes that edge. Nothing else moves a post.
TRANSITIONS: dict[tuple[PostStatus, PostStatus], str] = {
    (PostStatus.DRAFT, PostStatus.SCHEDULED): "schedule",
    (PostStatus.SCHEDULED, PostStatus.SCHEDULED): "reschedule",
    (PostStatus.SCHEDULED, PostStatus.DRAFT): "unschedule",
    (PostStatus.DRAFT, PostStatus.PUBLISHING): "publish now",
    (PostStatus.SCHEDULED, PostStatus.PUBLISHING): "publish now or come due",
    (PostStatus.PUBLISHING, PostStatus.PUBLISHED): "finish with at least one platform succeeded",
    (PostStatus.PUBLISHING, PostStatus.FAILED): "finish with every platform failed",
}

EDITABLE = frozenset({PostStatus.DRAFT, PostStatus.SCHEDULED})


def can_transition(current: str, new: str) -> bool:
    return (PostStatus(current), PostStatus(new)) in TRANSITIONS


def ensure_transition(current: str, new: str) -> None:
    """Raise Conflict with a message a client can act on when ``current → new`` is not an edge."""
    if can_transition(current, new):
        return
    if new == PostStatus.PUBLISHING and current in (PostStatus.PUBLISHING, PostStatus.PUBLISHED):
        raise Conflict(f"Post is already {current}", {"status": current})
    raise Conflict(f"A {current} post cannot become {new}", {"status": current})


def ensure_editable(current: str) -> None:
    if PostStatus(current) not in EDITABLE:
        raise Conflict(f"Only draft or scheduled posts can be updated; this post is {current}", {"status": current})


def ensure_deletable(current: str) -> None:
    if current == PostStatus.PUBLISHING:
        raise Conflict("A post that is publishing cannot be deleted; wait until it finishes", {"status": current})


def status_from_targets(statuses: Iterable[str]) -> PostStatus:
    """published = at least one platform succeeded; failed = all finished and none succeeded."""
    seen = [TargetStatus(s) for s in statuses]
    if any(s not in TERMINAL_TARGET for s in seen):
        return PostStatus.PUBLISHING
    if any(s == TargetStatus.SUCCEEDED for s in seen):
        return PostStatus.PUBLISHED
    return PostStatus.FAILED
