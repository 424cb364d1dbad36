"""Every edge of the post state machine, allowed and refused, and the derivation from targets."""

from __future__ import annotations

import itertools

import pytest

from octopost.errors import Conflict
from octopost.posts.state import (
    TRANSITIONS,
    Action,
    PostStatus,
    TargetStatus,
    can_transition,
    ensure_deletable,
    ensure_editable,
    ensure_transition,
    status_from_targets,
)

ALL_PAIRS = list(itertools.product(PostStatus, PostStatus))
ALLOWED = {
    (PostStatus.DRAFT, PostStatus.SCHEDULED),
    (PostStatus.SCHEDULED, PostStatus.SCHEDULED),
    (PostStatus.SCHEDULED, PostStatus.DRAFT),
    (PostStatus.DRAFT, PostStatus.PUBLISHING),
    (PostStatus.SCHEDULED, PostStatus.PUBLISHING),
    (PostStatus.PUBLISHING, PostStatus.PUBLISHED),
    (PostStatus.PUBLISHING, PostStatus.FAILED),
    (PostStatus.FAILED, PostStatus.PUBLISHING),
    (PostStatus.PUBLISHED, PostStatus.PUBLISHING),
}


def test_table_is_exactly_the_documented_edges() -> None:
    assert set(TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_allowed_edge(current: PostStatus, new: PostStatus) -> None:
    assert can_transition(current, new)
    ensure_transition(current, new)


@pytest.mark.parametrize(("current", "new"), sorted(set(ALL_PAIRS) - ALLOWED))
def test_refused_edge(current: PostStatus, new: PostStatus) -> None:
    assert not can_transition(current, new)
    with pytest.raises(Conflict):
        ensure_transition(current, new)


@pytest.mark.parametrize("status", [PostStatus.PUBLISHING, PostStatus.PUBLISHED])
def test_publishing_twice_says_already(status: PostStatus) -> None:
    """Published → publishing is an edge, but retry's, not publish's."""
    with pytest.raises(Conflict, match=f"already {status}"):
        ensure_transition(status, PostStatus.PUBLISHING, Action.PUBLISH)


@pytest.mark.parametrize("status", list(PostStatus))
def test_only_failed_and_published_posts_are_retried(status: PostStatus) -> None:
    if status in (PostStatus.FAILED, PostStatus.PUBLISHED):
        ensure_transition(status, PostStatus.PUBLISHING, Action.RETRY)
    else:
        with pytest.raises(Conflict, match="Only failed or published posts can be retried"):
            ensure_transition(status, PostStatus.PUBLISHING, Action.RETRY)


@pytest.mark.parametrize("status", list(PostStatus))
def test_only_draft_and_scheduled_are_editable(status: PostStatus) -> None:
    if status in (PostStatus.DRAFT, PostStatus.SCHEDULED):
        ensure_editable(status)
    else:
        with pytest.raises(Conflict):
            ensure_editable(status)


@pytest.mark.parametrize("status", list(PostStatus))
def test_only_publishing_posts_cannot_be_deleted(status: PostStatus) -> None:
    if status == PostStatus.PUBLISHING:
        with pytest.raises(Conflict):
            ensure_deletable(status)
    else:
        ensure_deletable(status)


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([TargetStatus.SUCCEEDED, TargetStatus.FAILED], PostStatus.PUBLISHED),
        ([TargetStatus.FAILED, TargetStatus.FAILED], PostStatus.FAILED),
        ([TargetStatus.UNCONFIRMED, TargetStatus.FAILED], PostStatus.FAILED),
        ([TargetStatus.SUCCEEDED, TargetStatus.PENDING], PostStatus.PUBLISHING),
        ([TargetStatus.PUBLISHING], PostStatus.PUBLISHING),
        ([TargetStatus.SUCCEEDED], PostStatus.PUBLISHED),
    ],
)
def test_post_status_follows_targets(targets: list[TargetStatus], expected: PostStatus) -> None:
    assert status_from_targets(targets) == expected
