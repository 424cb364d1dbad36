"""POST /v1/posts/bulk: many create bodies validated as create validates them, the valid ones created at once.

Rows are numbered as a user sees them: 1-based data rows of a CSV (the header is row 0), index+1 of a JSON array.
The per-request parts of create's checks (each platform's default account, each platform's text rules, which may
cost a network call) are read once for the whole request, not per row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from adapters.base import TextRules
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.errors import Problems, ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import bulk_csv, repository, service
from octopost.posts.accounts import publishing_accounts
from octopost.posts.schemas import BulkResult, BulkRow, PostCreate
from octopost.posts.state import PostStatus
from octopost.posts.tables import Post
from octopost.posts.validation import platform_problems
from octopost.queue.claims import NEXT_FREE_SLOT, claim_next
from octopost.runtime import Runtime
from octopost.uploads.references import check_own_media
from octopost.webhooks.events import EventType
from octopost.webhooks.outbox import record_post_event


@dataclass
class _Valid:
    row: int
    post: Post
    queued: bool
    accounts: dict[str, Account] = field(default_factory=dict)


@dataclass
class _Limits:
    """The accounts and text rules create would read, read once per request and per platform."""

    accounts: dict[str, Account] = field(default_factory=dict)
    rules: dict[str, TextRules] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)


def json_rows(body: bytes) -> Iterator[tuple[int, Any, list[str]]]:
    try:
        items = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise ValidationFailed.of([f"body: not JSON ({exc})"]) from None
    if not isinstance(items, list):
        raise ValidationFailed.of(["body: a JSON array of posts is expected"])
    for index, item in enumerate(items):
        yield index + 1, item, []


def csv_rows(body: bytes) -> Iterator[tuple[int, Any, list[str]]]:
    lines = bulk_csv.reader(bulk_csv.text_of(body).splitlines(keepends=True))
    try:
        names = bulk_csv.check_header(next(lines, None))
        for number, cells in enumerate(lines, start=1):
            if cells:
                body_row, problems = bulk_csv.row_body(names, cells)
                yield number, body_row, problems
    except csv.Error as exc:
        raise ValidationFailed.of([f"body: the CSV is malformed at line {lines.line_num}: {exc}"]) from None


async def import_rows(
    runtime: Runtime,
    caller: Caller,
    rows: Iterator[tuple[int, Any, list[str]]],
    *,
    dry_run: bool,
    atomic: bool,
) -> BulkResult:
    now = utcnow()
    cap = runtime.settings.bulk_max_rows
    results: list[BulkRow] = []
    valid: list[_Valid] = []
    limits = _Limits()
    for number, item, problems in rows:
        if number > cap:
            raise ValidationFailed.of([f"body: more than {cap} rows; split the import"])
        found = await _check_row(runtime, caller, item, problems, now, limits)
        if isinstance(found, list):
            results.append(BulkRow(row=number, valid=False, errors=found))
        else:
            found.row = number
            valid.append(found)
            results.append(BulkRow(row=number, valid=True, post_id=None if dry_run else found.post.id))
    if dry_run or (atomic and len(valid) < len(results)):
        for result in results:
            result.post_id = None
        return BulkResult(rows=results, created=0)
    await _insert(runtime, valid, now)
    return BulkResult(rows=results, created=len(valid))


async def _check_row(
    runtime: Runtime, caller: Caller, item: Any, problems: list[str], now: datetime, limits: _Limits
) -> _Valid | list[str]:
    try:
        data = msgspec.convert(item, PostCreate)  # fields PostCreate does not know (yet) are ignored
    except msgspec.ValidationError as exc:
        return [*problems, str(exc)]
    collected = Problems()
    collected.items.extend(problems)
    if data.recurrence is not None:
        collected.add("recurrence: a recurring post is created on its own (POST /v1/posts), not by bulk import")
    choice = await service.choose_platforms(runtime, caller, data, collected)  # reads only for a preset
    post = service.build_post(caller, data, collected, now, choice)
    if collected.items:
        return collected.items
    try:
        await check_own_media(runtime, post)  # reads only when the row names our uploads
    except ValidationFailed as exc:
        return list(exc.details.get("errors", [exc.message]))
    queued = data.scheduled_for == NEXT_FREE_SLOT
    if queued:
        post.scheduled_for = now
    accounts: dict[str, Account] = {}
    try:
        if post.scheduled_for is not None:
            if post.accounts:  # accounts named per row: create's own check for this row
                accounts = await service._check_platform_limits(runtime, caller, post, require_accounts=False)
            else:
                accounts = await _shared_limits(runtime, caller, post, limits)
            post.status = PostStatus.SCHEDULED
        elif post.accounts:
            await service._check_named(runtime, caller, post)
    except ValidationFailed as exc:
        return list(exc.details.get("errors", [exc.message]))
    return _Valid(0, post, queued, accounts)


async def _shared_limits(runtime: Runtime, caller: Caller, post: Post, limits: _Limits) -> dict[str, Account]:
    missing = [p for p in post.platforms if p not in limits.known]
    if missing:
        async with runtime.db.session() as session:
            found, _ = await publishing_accounts(
                session, caller.workspace_id, None, missing, is_test=caller.is_test, require_active=False
            )
        limits.accounts.update(found)
        limits.rules.update(await service.text_rules(runtime, {p: a for p, a in found.items() if a.is_active}))
        limits.known.update(missing)
    problems = platform_problems(post, post.platforms, limits.rules)
    if problems:
        raise ValidationFailed.of(problems)
    return {p: a for p, a in limits.accounts.items() if p in post.platforms}


async def _insert(runtime: Runtime, valid: list[_Valid], now: datetime) -> None:
    """One transaction: posts by Core INSERTs, then each scheduled one's slot, targets and post.scheduled event."""
    async with runtime.db.transaction() as session:
        await repository.add_many(session, [v.post for v in valid])
        for item in valid:
            post = item.post
            if item.queued:
                post.scheduled_for = await claim_next(session, post, now)
                await repository.set_scheduled_for(session, post)
            if post.scheduled_for is not None:
                pinned = service._pinned(post, item.accounts)
                await repository.replace_targets(session, post, post.scheduled_for, pinned)
                await record_post_event(session, EventType.POST_SCHEDULED, post)
    soonest = min((v.post.scheduled_for for v in valid if v.post.scheduled_for is not None), default=None)
    service._wake_if_due_soon(runtime, soonest)
