"""Post use cases: create, read, update, delete, publish. Services raise domain errors; HTTP is at the edge.

Platform checks may call the network (a Mastodon instance's limit), so they run before the write
transaction; the transaction then re-checks that the post did not change meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from msgspec import UNSET

from adapters.base import AdapterError, DiscoversTextRules, TextRules
from octopost.accounts.factory import adapter_for_account
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import Conflict, NotFound, Problems, ValidationFailed
from octopost.ids import new_id
from octopost.keys.service import Caller
from octopost.posts import repository
from octopost.posts.accounts import check_accounts_shape, named_accounts, publishing_accounts
from octopost.posts.overrides import check_overrides, check_still_platforms
from octopost.posts.preset_choice import PresetChoice, choose
from octopost.posts.schemas import PostCreate, PostRead, PostUpdate
from octopost.posts.state import Action, PostStatus, ensure_deletable, ensure_editable, ensure_transition
from octopost.posts.tables import Post
from octopost.posts.validation import (
    check_content,
    check_media,
    check_platform_options,
    check_platforms,
    check_poll,
    check_reply_policy,
    check_scheduled_for,
    check_segments,
    check_unpublish_at,
    platform_problems,
)
from octopost.posts.views import to_read
from octopost.queue.claims import NEXT_FREE_SLOT, claim_next, release
from octopost.runtime import Runtime
from octopost.series import service as series
from octopost.uploads.references import check_own_media
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_post_event

log = logging.getLogger("octopost.posts")

# What PUT may change (while draft or scheduled).
EDITABLE_FIELDS = (
    "content",
    "platforms",
    "media",
    "segments",
    "scheduled_for",
    "platform_options",
    "poll",
    "reply_policy",
    "accounts",
    "overrides",
    "preset_id",
    "primary_platform",
    "cross_link_template",
    "unpublish_at",
)


async def text_rules(runtime: Runtime, accounts: dict[str, Account]) -> dict[str, TextRules]:
    """Per-server text limits where the platform has them (cached by the adapter); defaults otherwise."""
    rules: dict[str, TextRules] = {}
    for platform, account in accounts.items():
        adapter = adapter_for_account(runtime, account)
        try:
            if isinstance(adapter, DiscoversTextRules):
                rules[platform] = await adapter.text_rules()
        except AdapterError as exc:
            log.warning("could not read %s limits, using defaults: %s", platform, exc.message)
        finally:
            await adapter.aclose()
    return rules


async def _check_platform_limits(
    runtime: Runtime, caller: Caller, post: Post, *, require_accounts: bool
) -> dict[str, Account]:
    """The accounts the post would publish through (named, else default) after checking the post against each
    one's limits. ``require_accounts``: publishing now, so every platform needs an active account."""
    accounts, rules, problems = await platform_context(runtime, caller, post, require_accounts=require_accounts)
    problems.extend(platform_problems(post, post.platforms, rules))
    if problems:
        raise ValidationFailed.of(problems, "The post cannot be published: " + "; ".join(problems))
    return accounts


async def platform_context(
    runtime: Runtime, caller: Caller, post: Post, *, require_accounts: bool
) -> tuple[dict[str, Account], dict[str, TextRules], list[str]]:
    """What checking ``post`` against its platforms needs (its accounts, their text rules) and the accounts'
    problems: the per-request part of the check, which depends only on the post's platforms and named accounts."""
    async with runtime.db.session() as session:
        accounts, problems = await publishing_accounts(
            session,
            caller.workspace_id,
            post.accounts,
            post.platforms,
            is_test=caller.is_test,
            # A scheduled post may wait for its named account to be reconnected; it must not name a wrong one.
            require_active=require_accounts,
        )
    if require_accounts:
        problems.extend(
            f"{p}: no active {p} account is connected to this workspace" for p in post.platforms if p not in accounts
        )
    active = {p: a for p, a in accounts.items() if a.is_active}
    return accounts, await text_rules(runtime, active), problems


async def check_named(runtime: Runtime, caller: Caller, post: Post) -> None:
    """A draft's named accounts: each one this workspace's, of one of the post's platforms, one per platform."""
    async with runtime.db.session() as session:
        _, problems = await named_accounts(
            session, caller.workspace_id, post.accounts, post.platforms, is_test=caller.is_test
        )
    if problems:
        raise ValidationFailed.of(problems)


def _template(post: Post) -> dict[str, Any]:
    """What a series makes its later occurrences of: the post's editable fields but its times (JSON: an
    unpublish_at is kept as the time after each occurrence it comes)."""
    template = {f: getattr(post, f) for f in EDITABLE_FIELDS if f not in ("scheduled_for", "unpublish_at")}
    if post.unpublish_at is not None and post.scheduled_for is not None:
        template["unpublish_after_seconds"] = (post.unpublish_at - post.scheduled_for).total_seconds()
    return template


async def schedule_checks(runtime: Runtime, caller: Caller, post: Post) -> dict[str, str | None]:
    """A scheduled create's platform checks and its targets' accounts, for posts made on the caller's behalf (a
    series' later occurrences)."""
    return pinned_accounts(post, await _check_platform_limits(runtime, caller, post, require_accounts=False))


def pinned_accounts(post: Post, accounts: dict[str, Account]) -> dict[str, str | None]:
    """The targets' accounts of a scheduled post: those it names (the others resolve when they publish)."""
    named = set(post.accounts or ())
    return {p: a.id for p, a in accounts.items() if a.id in named}


async def _view(runtime: Runtime, post: Post) -> PostRead:
    async with runtime.db.session() as session:
        targets = (await repository.targets_by_post(session, [post.id])).get(post.id, [])
        deliveries = await repository.deliveries_by_target(session, [t.id for t in targets])
        unpublishes = await repository.unpublishes_by_target(session, [t.id for t in targets])
    return to_read(post, targets, deliveries, unpublishes)


async def choose_platforms(runtime: Runtime, caller: Caller, data: PostCreate, problems: Problems) -> PresetChoice:
    """The body's platforms, or its preset's (a database read only when a preset is involved)."""
    if data.platforms is not None and data.preset_id is None:
        return PresetChoice(data.platforms)
    async with runtime.db.session() as session:
        return await choose(session, caller, data.platforms, data.preset_id, problems)


def build_post(
    caller: Caller, data: PostCreate, problems: Problems, now: datetime, choice: PresetChoice | None = None
) -> Post:
    """The post a create body describes, every problem of its shape added to ``problems`` (nothing stored).
    ``choice``: its platforms as choose_platforms resolved them (None: the body's own)."""
    choice = choice or PresetChoice(data.platforms or [])
    platforms = check_platforms(choice.platforms, problems)
    scheduled_for = check_scheduled_for(_hand_set(data.scheduled_for), problems, now)
    return Post(
        id=new_id("post"),
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        content=check_content(data.content, problems),
        platforms=platforms,
        media=check_media(data.media, problems),
        segments=check_segments(data.segments, problems),
        scheduled_for=scheduled_for,
        platform_options=check_platform_options(data.platform_options, platforms, problems),
        poll=check_poll(data.poll, problems),
        reply_policy=check_reply_policy(data.reply_policy, problems),
        accounts=check_accounts_shape(data.accounts, problems),
        overrides=check_overrides(data.overrides, platforms, problems),
        unpublish_at=check_unpublish_at(data.unpublish_at, scheduled_for, problems, now),
        preset_id=choice.preset_id,
        primary_platform=choice.primary_platform,
        cross_link_template=choice.cross_link_template,
        created_at=now,
        updated_at=now,
    )


async def create(runtime: Runtime, caller: Caller, data: PostCreate) -> PostRead:
    problems = Problems()
    now = utcnow()  # one clock read for the whole write: created_at == updated_at
    choice = await choose_platforms(runtime, caller, data, problems)
    post = build_post(caller, data, problems, now, choice)
    queued = data.scheduled_for == NEXT_FREE_SLOT
    rule = series.rule_of(data.recurrence, post.scheduled_for, queued, problems) if data.recurrence else None
    problems.raise_if_any()
    await check_own_media(runtime, post)
    if queued:
        post.scheduled_for = now  # for the checks ("scheduled"); the slot is taken in the transaction below
    accounts: dict[str, Account] = {}
    if post.scheduled_for is not None:
        # A scheduled post that can never publish fails now, not at 3 a.m.
        accounts = await _check_platform_limits(runtime, caller, post, require_accounts=False)
        post.status = PostStatus.SCHEDULED
    elif post.accounts:
        await check_named(runtime, caller, post)
    async with runtime.db.transaction() as session:
        if rule is not None:
            series.start(session, post, rule, _template(post))
        await repository.add(session, post)
        if queued:
            post.scheduled_for = await claim_next(session, post, now)
            await repository.set_scheduled_for(session, post)
        if post.scheduled_for is not None:
            await repository.replace_targets(session, post, post.scheduled_for, pinned_accounts(post, accounts))
            await record_post_event(session, EventType.POST_SCHEDULED, post)
    wake_if_due_soon(runtime, post.scheduled_for)
    log.info("post created", extra={"post_id": post.id, "status": post.status})
    return to_read(post, [], {})


def _hand_set(scheduled_for: str | None) -> str | None:
    """``scheduled_for`` when it is a time (``next_free_slot`` is resolved by the queue instead)."""
    return None if scheduled_for == NEXT_FREE_SLOT else scheduled_for


def wake_if_due_soon(runtime: Runtime, scheduled_for: datetime | None) -> None:
    """The scheduler arms its timer from what it claimed last: a post due before its next tick would otherwise
    wait for that tick. Later ones are found by the tick itself, so most creates cost no extra claim."""
    if scheduled_for is not None and (scheduled_for - utcnow()).total_seconds() < runtime.settings.tick_seconds:
        runtime.wake()


async def get(runtime: Runtime, caller: Caller, post_id: str) -> PostRead:
    async with runtime.db.session() as session:
        post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test)
    if post is None:
        raise NotFound(f"Post {post_id} not found")
    return await _view(runtime, post)


async def update(runtime: Runtime, caller: Caller, post_id: str, data: PostUpdate) -> PostRead:
    async with runtime.db.session() as session:
        post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test)
    if post is None:
        raise NotFound(f"Post {post_id} not found")
    ensure_editable(post.status)
    seen_version = post.updated_at

    problems = Problems()
    if data.content is not UNSET:
        post.content = check_content(data.content, problems)
    if data.preset_id is not UNSET:
        async with runtime.db.session() as session:
            platforms = None if data.platforms is UNSET else data.platforms
            _follow(post, await choose(session, caller, platforms, data.preset_id, problems))
        post.platforms = check_platforms(post.platforms, problems)
    elif data.platforms is not UNSET:
        _follow(post, PresetChoice(data.platforms))  # platforms of its own: the post leaves its preset
        post.platforms = check_platforms(data.platforms, problems)
    if data.media is not UNSET:
        post.media = check_media(data.media, problems)
    if data.segments is not UNSET:
        post.segments = check_segments(data.segments, problems)
    queued = data.scheduled_for == NEXT_FREE_SLOT
    if queued:
        post.scheduled_for = utcnow()  # for the checks ("scheduled"); the slot is taken in the transaction below
    elif data.scheduled_for is not UNSET:
        post.scheduled_for = check_scheduled_for(data.scheduled_for, problems)
    if data.poll is not UNSET:
        post.poll = check_poll(data.poll, problems)
    if data.reply_policy is not UNSET:
        post.reply_policy = check_reply_policy(data.reply_policy, problems)
    if data.platform_options is not UNSET:
        post.platform_options = data.platform_options
    if data.accounts is not UNSET:
        post.accounts = check_accounts_shape(data.accounts, problems)
    if data.unpublish_at is not UNSET:
        post.unpublish_at = check_unpublish_at(data.unpublish_at, post.scheduled_for, problems)
    if data.overrides is not UNSET:
        post.overrides = check_overrides(data.overrides, post.platforms, problems)
    else:
        check_still_platforms(post.overrides, post.platforms, problems)
    # Checked against the platforms as they are after this update (either may have changed).
    post.platform_options = check_platform_options(post.platform_options, post.platforms, problems)
    rule = series.rule_of(data.recurrence, post.scheduled_for, queued, problems) if data.recurrence else None
    problems.raise_if_any()
    await check_own_media(runtime, post)

    new_status = PostStatus.SCHEDULED if post.scheduled_for is not None else PostStatus.DRAFT
    if not post.status == new_status == PostStatus.DRAFT:  # editing a draft keeps it a draft: no edge
        ensure_transition(post.status, new_status)
    accounts: dict[str, Account] = {}
    if new_status == PostStatus.SCHEDULED:
        accounts = await _check_platform_limits(runtime, caller, post, require_accounts=False)
    elif post.accounts:
        await check_named(runtime, caller, post)

    async with runtime.db.transaction() as session:
        current = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test, for_update=True)
        if current is None:
            raise NotFound(f"Post {post_id} not found")
        ensure_editable(current.status)
        _ensure_unchanged(current, seen_version)
        before = (current.status, current.scheduled_for)
        for field in EDITABLE_FIELDS:
            setattr(current, field, getattr(post, field))
        if queued:
            current.scheduled_for = await claim_next(session, current, utcnow())
        elif data.scheduled_for is not UNSET:
            await release(session, current.id)  # set by hand, or unscheduled: the queue slot is free again
        newly_scheduled = before != (new_status, current.scheduled_for)
        current.status = new_status
        current.updated_at = utcnow()
        if data.recurrence is not UNSET:
            await series.apply(session, current, rule, _template(current))
        if new_status == PostStatus.SCHEDULED and current.scheduled_for is not None:
            await repository.replace_targets(
                session, current, current.scheduled_for, pinned_accounts(current, accounts)
            )
            if newly_scheduled:  # scheduled now, or for another time
                await record_post_event(session, EventType.POST_SCHEDULED, current)
        else:
            await repository.drop_targets(session, current.id)
        session.add(current)
    if new_status == PostStatus.SCHEDULED:
        wake_if_due_soon(runtime, current.scheduled_for)
    return to_read(current, [], {})


def _follow(post: Post, choice: PresetChoice) -> None:
    post.platforms = choice.platforms
    post.preset_id = choice.preset_id
    post.primary_platform = choice.primary_platform
    post.cross_link_template = choice.cross_link_template


def _ensure_unchanged(current: Post, seen_version: datetime) -> None:
    if current.updated_at != seen_version:
        raise Conflict("The post changed while this request was checked; fetch it and try again")


async def delete(runtime: Runtime, caller: Caller, post_id: str) -> None:
    async with runtime.db.transaction() as session:
        post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test, for_update=True)
        if post is None:
            raise NotFound(f"Post {post_id} not found")
        ensure_deletable(post.status)
        # Targets and deliveries go with it (ON DELETE CASCADE); a scheduled post is thereby cancelled.
        await repository.drop_targets(session, post.id)
        await session.delete(post)
    log.info("post deleted", extra={"post_id": post_id})


async def publish(runtime: Runtime, caller: Caller, post_id: str) -> PostRead:
    async with runtime.db.session() as session:
        post = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test)
    if post is None:
        raise NotFound(f"Post {post_id} not found")
    ensure_transition(post.status, PostStatus.PUBLISHING, Action.PUBLISH)
    seen_version = post.updated_at
    accounts = await _check_platform_limits(runtime, caller, post, require_accounts=True)

    async with runtime.db.transaction() as session:
        current = await repository.get(session, caller.workspace_id, post_id, is_test=caller.is_test, for_update=True)
        if current is None:
            raise NotFound(f"Post {post_id} not found")
        ensure_transition(current.status, PostStatus.PUBLISHING, Action.PUBLISH)
        _ensure_unchanged(current, seen_version)
        now = utcnow()
        current.status = PostStatus.PUBLISHING
        current.updated_at = now
        session.add(current)
        await repository.replace_targets(session, current, now, {p: a.id for p, a in accounts.items()})
    runtime.wake()
    log.info("post publishing", extra={"post_id": post_id})
    return to_read(current, [], {})
