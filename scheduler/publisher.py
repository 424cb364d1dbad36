"""Publishes one claimed target: its segments in order as a reply chain, resuming after the last `sent` one.

Each adapter error maps to one reaction (DESIGN.md): AuthExpired → refresh and retry once; ReauthRequired →
account inactive, target failed; RateLimited → rescheduled at retry_after; Rejected → failed; Transient →
backoff inside the attempt, then rescheduled; OutcomeUnknown → unconfirmed unless the platform can tell.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    FindsDelivery,
    OutcomeUnknown,
    PersistsSession,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    RefreshesSession,
    Rejected,
    Segment,
    Transient,
)
from adapters.registry import UnsupportedPlatform
from octopost.accounts.factory import adapter_for_account
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.ids import new_tid
from octopost.media.fetch import MediaFetchError
from octopost.posts.state import TargetStatus
from octopost.posts.tables import Delivery, Post, Target
from octopost.runtime import Runtime
from scheduler import ledger, outcome
from scheduler.claims import LeaseLost
from scheduler.media import PostMedia

log = logging.getLogger("octopost.scheduler")

# Transient failures retried inside one attempt before the target is rescheduled.
_TRIES_IN_ATTEMPT = 3
_DEFAULT_RATE_LIMIT_WAIT = 60.0
_MAX_BACKOFF = timedelta(hours=1)


class _Retryable(Exception):
    """A call that may be repeated with the same idempotency key (known not applied, or safe to resend)."""

    def __init__(self, cause: AdapterError) -> None:
        super().__init__(cause.message)
        self.cause = cause


class _MaybeApplied(Exception):
    """The call failed after an earlier try's outcome was unknown: keep the `sending` row (and its key)
    so the next attempt looks the segment up or resends it idempotently, never with a fresh key."""

    def __init__(self, cause: AdapterError) -> None:
        super().__init__(cause.message)
        self.cause = cause


# The last segment this attempt posted whose `sent` is not written yet: it goes with the next write (the next
# segment's `sending`, or the target's success), so a thread costs one commit per segment, not two.
_Unrecorded = tuple[int, PublishedRef]


@dataclass(frozen=True)
class _Loaded:
    target: Target
    account: Account | None
    done: dict[int, Delivery]  # the ledger so far (a resumed target continues after its last `sent` row)


async def _load(runtime: Runtime, target_id: str, owner: str, post: Post) -> _Loaded | None:
    """``post``: read once by the dispatcher for all of its targets (publishing, it cannot be edited)."""
    async with runtime.db.session() as session:  # one read session for all of it: it precedes the first send
        target = (await session.exec(select(Target).where(Target.id == target_id))).first()
        if target is None or target.lease_owner != owner or target.status != TargetStatus.PUBLISHING:
            return None
        if target.post_id != post.id:
            return None
        # The workspace's active account now (a reconnect since the post was queued replaces the old one),
        # of the post's mode: a test post publishes through a sandbox account only.
        account = (
            await session.exec(
                select(Account).where(
                    Account.workspace_id == post.workspace_id,
                    Account.is_test == post.is_test,
                    Account.platform == target.platform,
                    col(Account.is_active).is_(True),
                )
            )
        ).first()
        return _Loaded(target, account, await ledger.deliveries(session, target.id))


async def publish_target(runtime: Runtime, target_id: str, owner: str, post: Post, media: PostMedia) -> None:
    loaded = await _load(runtime, target_id, owner, post)
    if loaded is None:
        return
    target, account = loaded.target, loaded.account
    context = {"post_id": post.id, "target_id": target.id, "platform": target.platform}
    db = runtime.db
    if account is None:
        await outcome.end(
            db,
            target,
            owner,
            TargetStatus.FAILED,
            f"No active {target.platform} account is connected. Connect one and publish again.",
            "reauth_required",
        )
        return
    try:
        adapter = adapter_for_account(runtime, account, sandbox=post.is_test)
    except UnsupportedPlatform as exc:
        await outcome.end(db, target, owner, TargetStatus.FAILED, str(exc), "rejected")
        return
    try:
        await _run(runtime, adapter, account, loaded, post, owner, media, context)
    except LeaseLost:
        log.warning("lease lost; another worker continues this target", extra=context)
    finally:
        try:
            await _persist_session(runtime, adapter, account)
        finally:
            await adapter.aclose()


async def _run(
    runtime: Runtime,
    adapter: Adapter,
    account: Account,
    loaded: _Loaded,
    post: Post,
    owner: str,
    media: PostMedia,
    context: dict[str, str],
) -> None:
    db = runtime.db
    target = loaded.target
    try:
        main, last = await _deliver(runtime, adapter, account, loaded, owner, media.segments(post))
    except MediaFetchError as exc:
        await outcome.end(db, target, owner, TargetStatus.FAILED, str(exc), Rejected.category)
    except _MaybeApplied as exc:
        # In doubt, where the next attempt can resolve the doubt (look the segment up, or resend it under the same
        # key): retry later. (Elsewhere, X, _call raised the OutcomeUnknown itself: unconfirmed now.)
        if isinstance(exc.cause, Transient | OutcomeUnknown):
            await _reschedule_transient(runtime, target, owner, exc.cause.message)
        else:
            await _react(runtime, target, owner, account, exc.cause, context)
    except AdapterError as exc:
        await _react(runtime, target, owner, account, exc, context)
    except LeaseLost:
        raise
    except Exception:
        # A bug or an unexpected SDK error: keep the ledger as it is (a `sending` row stays unknown), retry later.
        log.exception("unexpected error publishing target", extra=context)
        await _reschedule_transient(runtime, target, owner, "Unexpected error while publishing; will retry")
    else:
        await outcome.succeed(db, target, owner, main, account.id, last_sent=last)
        log.info("target succeeded", extra={**context, "remote_id": main.id})


async def _deliver(
    runtime: Runtime, adapter: Adapter, account: Account, loaded: _Loaded, owner: str, segments: list[Segment]
) -> tuple[PublishedRef, _Unrecorded | None]:
    """The segments in order; returns the main post and the last segment still to be recorded `sent`."""
    target = loaded.target
    root: PublishedRef | None = None
    parent: PublishedRef | None = None
    unrecorded: _Unrecorded | None = None
    for segment in segments:
        row = loaded.done.get(segment.index)
        if row is not None and row.state == ledger.SENT:
            if unrecorded is not None:  # never expected (rows come in order), but never lose a `sent`
                await ledger.mark_sent(runtime.db, target.id, owner, *unrecorded)
                unrecorded = None
            ref = ledger.ref_of(row)
        else:
            key = row.idempotency_key if row is not None else new_tid()
            request = PublishRequest(segment=segment, idempotency_key=key, root=root, parent=parent)
            ref = await _send(runtime, adapter, account, target, owner, request, row, unrecorded)
            unrecorded = (segment.index, ref)
        root = root or ref
        parent = ref
    assert root is not None
    return root, unrecorded


async def _send(
    runtime: Runtime,
    adapter: Adapter,
    account: Account,
    target: Target,
    owner: str,
    request: PublishRequest,
    earlier: Delivery | None,
    unrecorded: _Unrecorded | None,
) -> PublishedRef:
    """Post one segment, first recording the one before it `sent` (if still unrecorded) and this one
    `sending`."""
    index = request.segment.index
    db = runtime.db
    if earlier is None and unrecorded is not None:
        await ledger.mark_sent_and_sending(db, target.id, owner, unrecorded, index, request.idempotency_key)
    elif earlier is None:
        await ledger.mark_sending(db, target.id, owner, index, request.idempotency_key)
    else:
        if unrecorded is not None:
            await ledger.mark_sent(db, target.id, owner, *unrecorded)
        # An earlier attempt died mid-call: the segment may be on the platform already.
        found = await _recover(adapter, request, earlier)
        if found is not None:
            return found
    try:
        return await _call(runtime, adapter, account, request)
    except (Transient, RateLimited, Rejected, ReauthRequired, AuthExpired):
        if not _can_resolve_in_doubt(adapter):
            # Without a key the platform honours, the `sending` row could only ever end as unconfirmed; the
            # adapter says this call was not applied, so the next attempt starts the segment afresh. Where the
            # key is honoured the row stays: a reset after the platform applied the call also looks transient.
            await ledger.forget_sending(runtime.db, target.id, owner, index)
        raise


def _can_resolve_in_doubt(adapter: Adapter) -> bool:
    return isinstance(adapter, FindsDelivery) or adapter.info.idempotent_publish


async def _recover(adapter: Adapter, request: PublishRequest, earlier: Delivery) -> PublishedRef | None:
    """Resolve a `sending` row: look it up, or resend with the same key, or refuse to guess."""
    if isinstance(adapter, FindsDelivery):
        return await adapter.find_published(request)  # None: not there, resending with the same key is safe
    window = adapter.info.idempotency_window_seconds
    if adapter.info.idempotent_publish and (
        window is None or (utcnow() - earlier.created_at).total_seconds() < window
    ):
        return None  # the same idempotency key cannot create a second post
    raise OutcomeUnknown(
        f"segment {request.segment.index + 1} may have been posted before an interruption; "
        "it was not sent again to avoid a duplicate. Check the account and republish what is missing."
    )


async def _call(runtime: Runtime, adapter: Adapter, account: Account, request: PublishRequest) -> PublishedRef:
    refreshed = False
    maybe_applied = False
    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(_TRIES_IN_ATTEMPT),
            wait=wait_exponential_jitter(initial=0.2, max=3),
            reraise=True,
        ):
            with attempt:
                try:
                    async with runtime.platform_slot(account.platform):
                        return await adapter.publish(request)
                except AuthExpired as exc:
                    if refreshed or not isinstance(adapter, RefreshesSession):
                        raise
                    refreshed = True
                    updated = await adapter.refresh()
                    if updated:
                        await outcome.save_credentials(runtime.db, account.id, runtime.cipher.encrypt(updated))
                    raise _Retryable(exc) from None
                except Transient as exc:
                    raise _Retryable(exc) from exc
                except OutcomeUnknown as exc:
                    maybe_applied = True
                    found = await _recover_after_unknown(adapter, request)
                    if found is not None:
                        return found
                    raise _Retryable(exc) from exc
    except _Retryable as exc:
        failure: AdapterError = exc.cause
    except AdapterError as exc:
        failure = exc
    if maybe_applied and _can_resolve_in_doubt(adapter):
        raise _MaybeApplied(failure)
    raise failure


async def _recover_after_unknown(adapter: Adapter, request: PublishRequest) -> PublishedRef | None:
    """After a timeout mid-call: found → done; not found or idempotent → retry; otherwise unconfirmed."""
    if isinstance(adapter, FindsDelivery):
        return await adapter.find_published(request)
    if adapter.info.idempotent_publish:
        return None
    raise OutcomeUnknown(
        f"the platform did not answer while segment {request.segment.index + 1} was being posted; "
        "it may or may not have been published, so it was not sent again to avoid a duplicate."
    )


async def _react(
    runtime: Runtime, target: Target, owner: str, account: Account, exc: AdapterError, context: dict[str, str]
) -> None:
    cause = exc
    db = runtime.db
    log.warning("target error %s: %s", cause.category, cause.message, extra=context)
    if isinstance(cause, ReauthRequired | AuthExpired):
        await outcome.deactivate_account(db, account.id)
        message = f"{cause.message}. Reconnect your {target.platform} account."
        await outcome.end(db, target, owner, TargetStatus.FAILED, message, ReauthRequired.category)
    elif isinstance(cause, RateLimited):
        wait = cause.retry_after if cause.retry_after is not None else _DEFAULT_RATE_LIMIT_WAIT
        at = utcnow() + timedelta(seconds=max(wait, 0.0))
        await outcome.reschedule(db, target, owner, at, cause.message, cause.category, count_attempt=False)
    elif isinstance(cause, Rejected):
        await outcome.end(db, target, owner, TargetStatus.FAILED, cause.message, cause.category)
    elif isinstance(cause, OutcomeUnknown):
        await outcome.end(db, target, owner, TargetStatus.UNCONFIRMED, cause.message, cause.category)
    else:
        await _reschedule_transient(runtime, target, owner, cause.message)


async def _reschedule_transient(runtime: Runtime, target: Target, owner: str, message: str) -> None:
    attempts = target.attempts + 1
    if attempts >= runtime.settings.max_attempts:
        await outcome.end(
            runtime.db,
            target,
            owner,
            TargetStatus.FAILED,
            f"Gave up after {attempts} attempts: {message}",
            Transient.category,
        )
        return
    base = runtime.settings.retry_base_seconds
    backoff = min(timedelta(seconds=base * 2 ** (attempts - 1)), _MAX_BACKOFF)
    await outcome.reschedule(
        runtime.db, target, owner, utcnow() + backoff, message, Transient.category, count_attempt=True
    )


async def _persist_session(runtime: Runtime, adapter: Adapter, account: Account) -> None:
    if isinstance(adapter, PersistsSession):
        updated = adapter.updated_credentials()
        if updated:
            await outcome.save_credentials(runtime.db, account.id, runtime.cipher.encrypt(updated))
