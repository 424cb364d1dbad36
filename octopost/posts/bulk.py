"""POST /v1/posts/bulk: many create bodies checked exactly as create checks them (the same functions of
service.py), then the valid ones written in batches of Core INSERTs, a few transactions per request.

What depends only on the request, not on the row (the accounts of a set of platforms, each platform's text
rules, which may cost a Mastodon instance a network call; a preset's platforms; whether the queue has slots)
is computed once per request and reused for every row that needs it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from adapters.base import TextRules
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import Problems, ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import repository, service
from octopost.posts.bulk_rows import Row
from octopost.posts.preset_choice import PresetChoice
from octopost.posts.schemas import BulkResult, BulkRowResult, PostCreate
from octopost.posts.state import PostStatus
from octopost.posts.tables import Post
from octopost.posts.validation import platform_problems
from octopost.queue.claims import NEXT_FREE_SLOT, claim_next
from octopost.queue.service import schedule_of
from octopost.runtime import Runtime
from octopost.uploads.references import check_own_media
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import has_subscribers, record_post_event

log = logging.getLogger("octopost.posts.bulk")

BATCH = 500  # posts per transaction: short enough not to hold SQLite's write lock for long


@dataclass
class _Valid:
    row: int
    post: Post
    queued: bool
    accounts: dict[str, Account]


# A set of platforms' accounts, their text rules, and what is wrong with the accounts.
_Limits = tuple[dict[str, Account], dict[str, TextRules], list[str]]


@dataclass
class _RequestContext:
    """The per-request part of every row's check, each piece computed the first time a row needs it."""

    runtime: Runtime
    caller: Caller
    now: datetime = field(default_factory=utcnow)
    choices: dict[tuple[tuple[str, ...] | None, str | None], tuple[PresetChoice, list[str]]] = field(
        default_factory=dict
    )
    limits: dict[tuple[tuple[str, ...], tuple[str, ...]], _Limits] = field(default_factory=dict)
    queue_has_slots: bool | None = None

    async def choice(self, data: PostCreate, problems: Problems) -> PresetChoice:
        key = (tuple(data.platforms) if data.platforms is not None else None, data.preset_id)
        if key not in self.choices:
            found = Problems()
            self.choices[key] = (await service.choose_platforms(self.runtime, self.caller, data, found), found.items)
        choice, found_problems = self.choices[key]
        problems.items.extend(found_problems)
        return choice

    async def limits_of(self, post: Post) -> _Limits:
        key = (tuple(post.platforms), tuple(post.accounts or ()))
        if key not in self.limits:
            self.limits[key] = await service.platform_context(self.runtime, self.caller, post, require_accounts=False)
        return self.limits[key]

    async def has_slots(self) -> bool:
        if self.queue_has_slots is None:
            async with self.runtime.db.session() as session:
                row = await schedule_of(session, self.caller.workspace_id, self.caller.is_test)
            self.queue_has_slots = row is not None and bool(row.slots)
        return self.queue_has_slots


async def _check(context: _RequestContext, number: int, data: PostCreate) -> _Valid | list[str]:
    """One row as service.create checks it, nothing stored."""
    problems = Problems()
    choice = await context.choice(data, problems)
    post = service.build_post(context.caller, data, problems, context.now, choice)
    if data.recurrence is not None:
        problems.add("recurrence: a recurring post is created on its own (POST /v1/posts), not by bulk import")
    if problems.items:
        return problems.items
    try:
        await check_own_media(context.runtime, post)  # reads only when the row names our uploads
    except ValidationFailed as exc:
        return list(exc.details.get("errors", [exc.message]))
    queued = data.scheduled_for == NEXT_FREE_SLOT
    if queued:
        if not await context.has_slots():
            return ["scheduled_for is next_free_slot but the queue has no slots: set them with PUT /v1/queue"]
        post.scheduled_for = context.now  # for the checks ("scheduled"); the slot is taken when it is written
    accounts: dict[str, Account] = {}
    if post.scheduled_for is not None:
        accounts, rules, account_problems = await context.limits_of(post)
        found = [*account_problems, *platform_problems(post, post.platforms, rules)]
        if found:
            return found
        post.status = PostStatus.SCHEDULED
    elif post.accounts:
        try:
            await service.check_named(context.runtime, context.caller, post)
        except ValidationFailed as exc:
            return list(exc.details.get("errors", [exc.message]))
    return _Valid(number, post, queued, accounts)


async def _write(runtime: Runtime, caller: Caller, batch: list[_Valid], now: datetime) -> None:
    """One transaction: each post as service.create writes it (targets, queue slot, post.scheduled event), the
    posts and the targets each in one executemany INSERT."""
    async with runtime.db.transaction() as session:
        await repository.add_many(session, [valid.post for valid in batch])
        targets = []
        for valid in batch:
            post = valid.post
            if valid.queued:
                post.scheduled_for = await claim_next(session, post, now)
                await repository.set_scheduled_for(session, post)
            if post.scheduled_for is not None:
                targets.extend(
                    repository.new_targets(post, post.scheduled_for, service.pinned_accounts(post, valid.accounts))
                )
        await repository.add_targets(session, targets)
        if await has_subscribers(session, caller.workspace_id, caller.is_test, EventType.POST_SCHEDULED):
            for valid in batch:
                if valid.post.scheduled_for is not None:
                    await record_post_event(session, EventType.POST_SCHEDULED, valid.post)


async def import_rows(
    runtime: Runtime, caller: Caller, rows: Iterable[Row], *, dry_run: bool, atomic: bool
) -> BulkResult:
    context = _RequestContext(runtime, caller)
    results: list[BulkRowResult] = []
    valid: list[_Valid] = []
    for number, parsed in rows:
        checked = parsed if isinstance(parsed, list) else await _check(context, number, parsed)
        if isinstance(checked, list):
            results.append(BulkRowResult(row=number, valid=False, errors=checked))
        else:
            valid.append(checked)
            results.append(BulkRowResult(row=number, valid=True))
    invalid = len(results) - len(valid)
    if atomic and invalid:
        raise ValidationFailed(
            f"{invalid} of {len(results)} rows are invalid; nothing was created (atomic)",
            {
                "errors": [f"row {r.row}: {e}" for r in results if r.errors for e in r.errors],
                "rows": msgspec.to_builtins(results),
            },
        )
    if dry_run:
        return BulkResult(rows=results, created=0)
    by_row = {r.row: r for r in results}
    size = max(len(valid), 1) if atomic else BATCH  # atomic: one transaction, all or nothing
    for start in range(0, len(valid), size):
        batch = valid[start : start + size]
        await _write(runtime, caller, batch, context.now)
        for done in batch:
            by_row[done.row].post_id = done.post.id
    soonest = min((v.post.scheduled_for for v in valid if v.post.scheduled_for is not None), default=None)
    service.wake_if_due_soon(runtime, soonest)
    log.info("bulk import", extra={"rows": len(results), "posts_created": len(valid)})
    return BulkResult(rows=results, created=len(valid))
