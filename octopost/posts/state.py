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

class Action(StrEnum):
    SCHEDULE = "schedule"
    RESCHEDULE = "reschedule"
    UNSCHEDULE = "unschedule"
    PUBLISH = "publish now or come due"
    FINISH_PUBLISHED = "finish with at least one platform succeeded"
    FINISH_FAILED = "finish with every platform failed"
    RETRY = "retry failed platforms"


# (from, to) -> the action that takes that edge. Nothing else moves a post.
TRANSITIONS: dict[tuple[PostStatus, PostStatus], Action] = {
    (PostStatus.DRAFT, PostStatus.SCHEDULED): Action.SCHEDULE,
    (PostStatus.SCHEDULED, PostStatus.SCHEDULED): Action.RESCHEDULE,
    (PostStatus.SCHEDULED, PostStatus.DRAFT): Action.UNSCHEDULE,
    (PostStatus.DRAFT, PostStatus.PUBLISHING): Action.PUBLISH,
    (PostStatus.SCHEDULED, PostStatus.PUBLISHING): Action.PUBLISH,
    (PostStatus.PUBLISHING, PostStatus.PUBLISHED): Action.FINISH_PUBLISHED,
    (PostStatus.PUBLISHING, PostStatus.FAILED): Action.FINISH_FAILED,
    # A finished post publishing again, on the platforms that failed (octopost/posts/retry.py).
    (PostStatus.FAILED, PostStatus.PUBLISHING): Action.RETRY,
    (PostStatus.PUBLISHED, PostStatus.PUBLISHING): Action.RETRY,
}

EDITABLE = frozenset({PostStatus.DRAFT, PostStatus.SCHEDULED})


def can_transition(current: str, new: str, action: Action | None = None) -> bool:
    """Whether ``current → new`` is an edge (taken by ``action``, when one is named)."""
    taken_by = TRANSITIONS.get((PostStatus(current), PostStatus(new)))
    return taken_by is not None and (action is None or taken_by == action)


def ensure_transition(current: str, new: str, action: Action | None = None) -> None:
    """Raise Conflict with a message a client can act on when ``current → new`` is not an edge (of ``action``)."""
    if can_transition(current, new, action):
        return
    if action == Action.PUBLISH and current in (PostStatus.PUBLISHING, PostStatus.PUBLISHED):
        raise Conflict(f"Post is already {current}", {"status": current})
    if action == Action.RETRY:
        raise Conflict(f"Only failed or published posts can be retried; this post is {current}", {"status": current})
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
