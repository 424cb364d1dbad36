"""Publishes one claimed target: its segments in order, as the platform's thread mode says, resuming after the last
`sent` one.

Each adapter error maps to one reaction (scheduler/reactions.py): AuthExpired → refresh and retry once here, then
reconnect; ReauthRequired → account inactive, target failed; RateLimited → rescheduled at retry_after; Rejected →
failed; Transient → backoff inside the attempt, then rescheduled; OutcomeUnknown → unconfirmed unless the platform
can tell.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlmodel import select
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    FindsDelivery,
    MediaRejected,
    OutcomeUnknown,
    Pending,
    PersistsSession,
    PublishedRef,
    PublishRequest,
    RateLimited,
    ReauthRequired,
    Rejected,
    ReplyPolicy,
    Transient,
)
from adapters.registry import UnsupportedPlatform, platform_info
from adapters.segments import CannotThread
from adapters.validation import OptionsInvalid, decode_options
from octopost.accounts import repository as accounts_repo
from octopost.accounts.factory import adapter_for_account
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.ids import new_tid
from octopost.media.fetch import MediaFetchError
from octopost.posts.state import TargetStatus
from octopost.posts.tables import Delivery, Post, Target
from octopost.posts.validation import poll_of
from octopost.posts.versions import links_to_primary
from octopost.runtime import Runtime
from scheduler import account_locks, ledger, outcome, tokens
from scheduler.claims import LeaseLost
from scheduler.media import PostMedia
from scheduler.reactions import Run, react, retry_later
from scheduler.thread_modes import PostFeatures, request_for, segments_for

log = logging.getLogger("octopost.scheduler")

# Transient failures retried inside one attempt before the target is rescheduled.
_TRIES_IN_ATTEMPT = 3
# A platform that takes one publish at a time per account, busy with another post: how soon to look again.
_ACCOUNT_BUSY_WAIT = 2.0


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


class _Processing(Exception):
    """The platform answered Pending for a segment; its handle is in the ledger: come back later."""

    def __init__(self, pending: Pending) -> None:
        super().__init__(f"processing (check again in {pending.check_after:.1f}s)")
        self.pending = pending


# The last segment this attempt posted whose `sent` is not written yet: it goes with the next write (the next
# segment's `sending`, or the target's success), so a thread costs one commit per segment, not two.
_Unrecorded = tuple[int, PublishedRef]


@dataclass(frozen=True)
class _Loaded:
    target: Target
    account: Account | None
    done: dict[int, Delivery]  # the ledger so far (a resumed target continues after its last `sent` row)
    primary_url: str | None = None  # the primary platform's post this one links to (a preset's cross-link)


async def _load(runtime: Runtime, target_id: str, owner: str, post: Post) -> _Loaded | None:
    """``post``: read once by the dispatcher for all of its targets (publishing, it cannot be edited)."""
    async with runtime.db.session() as session:  # one read session for all of it: it precedes the first send
        target = (await session.exec(select(Target).where(Target.id == target_id))).first()
        if target is None or target.lease_owner != owner or target.status != TargetStatus.PUBLISHING:
            return None
        if target.post_id != post.id:
            return None
        # The account the target was queued with (one the post names, or the one a publish-now resolved): that
        # one or none, never another. Otherwise the platform's default now, of the post's mode: a test post
        # publishes through a sandbox account only.
        if target.account_id is not None:
            account = await accounts_repo.get(session, post.workspace_id, target.account_id, is_test=post.is_test)
            if account is not None and not account.is_active:
                account = None
        else:
            defaults = await accounts_repo.defaults_for_platforms(
                session, post.workspace_id, [target.platform], is_test=post.is_test
            )
            account = defaults.get(target.platform)
        primary_url = None
        if links_to_primary(post, target.platform):
            primary_url = (
                await session.exec(
                    select(Target.remote_url).where(
                        Target.post_id == post.id,
                        Target.platform == post.primary_platform,
                        Target.status == TargetStatus.SUCCEEDED,
                    )
                )
            ).first()
        return _Loaded(target, account, await ledger.deliveries(session, target.id), primary_url)


def _no_account(target: Target) -> str:
    try:
        name = platform_info(target.platform).display_name
    except UnsupportedPlatform:
        name = target.platform
    if target.account_id is not None:
        return (
            f"The {name} account {target.account_id} this post publishes through is no longer connected. "
            f"Reconnect your {name} account and publish again."
        )
    return f"No active {name} account is connected. Connect one and publish again."


async def publish_target(runtime: Runtime, target_id: str, owner: str, post: Post, media: PostMedia) -> None:
    loaded = await _load(runtime, target_id, owner, post)
    if loaded is None:
        return
    target, account = loaded.target, loaded.account
    context = {"post_id": post.id, "target_id": target.id, "platform": target.platform}
    if account is None:
        message = _no_account(target)
        await outcome.end(runtime.db, target, owner, TargetStatus.FAILED, message, ReauthRequired.category)
        return
    try:
        adapter = adapter_for_account(runtime, account, sandbox=post.is_test)
    except UnsupportedPlatform as exc:
        await outcome.end(runtime.db, target, owner, TargetStatus.FAILED, str(exc), Rejected.category)
        return
    run = Run(runtime, adapter, account, target, owner, context, sandbox=post.is_test)
    try:
        await _run(run, loaded, post, media)
    except LeaseLost:
        log.warning("lease lost; another worker continues this target", extra=context)
    finally:
        try:
            await _persist_session(runtime, run.adapter, account)
        finally:
            await run.adapter.aclose()  # the one in use (a refresh replaced and closed the first)


async def _run(run: Run, loaded: _Loaded, post: Post, media: PostMedia) -> None:
    try:
        await tokens.refresh_ahead(run)
        main, last = await _deliver(run, loaded, post, media)
    except MediaFetchError as exc:
        log.warning("target error %s: %s", MediaRejected.category, exc, extra=run.context)  # as react() logs the rest
        await run.end(TargetStatus.FAILED, str(exc), MediaRejected.category)
    except _Processing as exc:
        at = utcnow() + timedelta(seconds=max(exc.pending.check_after, 0.0))
        await outcome.wait_for_processing(run.db, run.target, run.owner, at)
        log.info("target waits for the platform's processing", extra={**run.context, "check_at": at.isoformat()})
    except _MaybeApplied as exc:
        # In doubt, where the next attempt can resolve the doubt (look the segment up, or resend it under the same
        # key): retry later. (Elsewhere, X, _call raised the OutcomeUnknown itself: unconfirmed now.)
        if isinstance(exc.cause, Transient | OutcomeUnknown):
            await retry_later(run, exc.cause)
        else:
            await react(run, exc.cause)
    except AdapterError as exc:
        await react(run, exc)
    except LeaseLost:
        raise
    except Exception:
        # A bug or an unexpected SDK error: keep the ledger as it is (a `sending` row stays unknown), retry later.
        log.exception("unexpected error publishing target", extra=run.context)
        await retry_later(run, Transient("Unexpected error while publishing; will retry"))
    else:
        await outcome.succeed(run.db, run.target, run.owner, main, run.account.id, last_sent=last)
        log.info("target succeeded", extra={**run.context, "remote_id": main.id})


def _features(run: Run, post: Post) -> PostFeatures:
    """The post's poll, reply policy and this platform's options, as validated when the post was stored."""
    info = run.adapter.info
    try:
        options = decode_options(info, (post.platform_options or {}).get(info.name))
    except OptionsInvalid as exc:  # stored under an older schema: refuse rather than publish without them
        raise Rejected(f"platform_options.{info.name}: {exc}") from None
    return PostFeatures(
        poll=poll_of(post.poll),
        reply_policy=ReplyPolicy(post.reply_policy) if post.reply_policy else None,
        options=options,
        scheduled_for=post.scheduled_for,
        unpublish_at=post.unpublish_at,
    )


async def _deliver(run: Run, loaded: _Loaded, post: Post, media: PostMedia) -> tuple[PublishedRef, _Unrecorded | None]:
    """The segments in order; returns the main post and the last segment still to be recorded `sent`."""
    info = run.adapter.info
    try:
        segments = segments_for(info, media.segments(post, run.target.platform, primary_url=loaded.primary_url))
    except CannotThread as exc:  # validation refuses this at schedule time; a post from before the rule is refused
        raise Rejected(str(exc)) from None
    features = _features(run, post)
    main: PublishedRef | None = None
    previous: PublishedRef | None = None
    unrecorded: _Unrecorded | None = None
    for segment in segments:
        row = loaded.done.get(segment.index)
        if row is not None and row.state == ledger.SENT:
            if unrecorded is not None:  # never expected (rows come in order), but never lose a `sent`
                await ledger.mark_sent(run.db, run.target.id, run.owner, *unrecorded)
                unrecorded = None
            ref = ledger.ref_of(row)
        else:
            key = row.idempotency_key if row is not None else new_tid()
            request = request_for(
                info, segment, key, count=len(segments), main=main, previous=previous, features=features
            )
            if row is not None and row.state == ledger.PENDING:
                request = replace(request, pending=row.handle)  # the platform's work continues from there
            ref = await _send(run, request, row, unrecorded)
            unrecorded = (segment.index, ref)
        main = main or ref
        previous = ref
    assert main is not None
    return main, unrecorded


async def _send(
    run: Run, request: PublishRequest, earlier: Delivery | None, unrecorded: _Unrecorded | None
) -> PublishedRef:
    """Post one segment, first recording the one before it `sent` (if still unrecorded) and this one
    `sending`."""
    index = request.segment.index
    db, target_id, owner, adapter = run.db, run.target.id, run.owner, run.adapter
    if earlier is None and unrecorded is not None:
        await ledger.mark_sent_and_sending(db, target_id, owner, unrecorded, index, request.idempotency_key)
    elif earlier is None:
        await ledger.mark_sending(db, target_id, owner, index, request.idempotency_key)
    else:
        if unrecorded is not None:
            await ledger.mark_sent(db, target_id, owner, *unrecorded)
        if earlier.state != ledger.PENDING:
            # An earlier attempt died mid-call: the segment may be on the platform already.
            found = await _recover(adapter, request, earlier)
            if found is not None:
                return found
    try:
        answer = await _call(run, request)
    except (Transient, RateLimited, Rejected, ReauthRequired, AuthExpired):
        if request.pending is None and not _can_resolve_in_doubt(adapter):
            # Without a key the platform honours, the `sending` row could only ever end as unconfirmed; the
            # adapter says this call was not applied, so the next attempt starts the segment afresh. Where the
            # key is honoured the row stays: a reset after the platform applied the call also looks transient.
            await ledger.forget_sending(db, target_id, owner, index)
        raise
    if isinstance(answer, Pending):
        await ledger.mark_pending(db, target_id, owner, index, answer.handle)
        raise _Processing(answer)
    return answer


def _can_resolve_in_doubt(adapter: Adapter) -> bool:
    return isinstance(adapter, FindsDelivery) or adapter.info.idempotent_publish


async def _recover(adapter: Adapter, request: PublishRequest, earlier: Delivery) -> PublishedRef | None:
    """Resolve a `sending` row: look it up, or resend with the same key, or refuse to guess."""
    if isinstance(adapter, FindsDelivery):
        return await adapter.find_published(request)  # None: not there, resending with the same key is safe
    window = adapter.info.idempotency_window_seconds
    if adapter.info.idempotent_publish and (window is None or (utcnow() - earlier.created_at).total_seconds() < window):
        return None  # the same idempotency key cannot create a second post
    raise OutcomeUnknown(
        f"segment {request.segment.index + 1} may have been posted before an interruption; "
        "it was not sent again to avoid a duplicate. Check the account and republish what is missing."
    )


async def _call(run: Run, request: PublishRequest) -> PublishedRef | Pending:
    refreshed = False
    maybe_applied = False
    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(_TRIES_IN_ATTEMPT),
            wait=wait_exponential_jitter(multiplier=0.2, max=3),
            reraise=True,
        ):
            with attempt:
                try:
                    return await _publish_call(run, request)
                except AuthExpired as exc:
                    if refreshed or not await tokens.refresh_after_refusal(run):
                        raise
                    refreshed = True
                    raise _Retryable(exc) from None
                except Transient as exc:
                    raise _Retryable(exc) from exc
                except OutcomeUnknown as exc:
                    maybe_applied = True
                    found = await _recover_after_unknown(run.adapter, request, exc)
                    if found is not None:
                        return found
                    raise _Retryable(exc) from exc
    except _Retryable as exc:
        failure: AdapterError = exc.cause
    except AdapterError as exc:
        failure = exc
    if maybe_applied and (request.pending is not None or _can_resolve_in_doubt(run.adapter)):
        raise _MaybeApplied(failure)
    raise failure


async def _publish_call(run: Run, request: PublishRequest) -> PublishedRef | Pending:
    """One publish call inside the platform's slot (and, where the platform needs it, the account's lock)."""
    adapter = run.adapter
    async with run.runtime.platform_slot(run.account.platform):
        if not adapter.info.one_publish_at_a_time:
            return await adapter.publish(request)
        holder = f"{run.owner}/{run.target.id}"
        until = utcnow() + timedelta(seconds=run.runtime.settings.lease_seconds)
        if not await account_locks.acquire(run.db, run.account.id, holder, until):
            raise RateLimited(
                f"{adapter.info.display_name} takes one post at a time per account and another post of this "
                "account is being published; trying again shortly",
                retry_after=_ACCOUNT_BUSY_WAIT,
            )
        try:
            return await adapter.publish(request)
        finally:
            await account_locks.release(run.db, run.account.id, holder)


async def _recover_after_unknown(
    adapter: Adapter, request: PublishRequest, lost: OutcomeUnknown
) -> PublishedRef | None:
    """After a timeout mid-call: found → done; not found or idempotent → retry; otherwise unconfirmed, keeping what
    the adapter knows (what may be left on the platform)."""
    if request.pending is not None:
        return None  # the next call asks the platform where its handle stands: that settles it, never a repost
    if isinstance(adapter, FindsDelivery):
        return await adapter.find_published(request)
    if adapter.info.idempotent_publish:
        return None
    raise OutcomeUnknown(
        f"segment {request.segment.index + 1}: {lost.message.rstrip('.')}. It may or may not have been published, "
        "so it was not sent again to avoid a duplicate."
    )


async def _persist_session(runtime: Runtime, adapter: Adapter, account: Account) -> None:
    if isinstance(adapter, PersistsSession):
        updated = adapter.updated_credentials()
        if updated:
            await outcome.save_credentials(runtime.db, account.id, runtime.cipher.encrypt(updated))
