"""How the publisher reacts to each error class of the taxonomy: one table, over the small run object that names
the target being published (DESIGN.md's one-to-one mapping of errors to reactions).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    OutcomeUnknown,
    RateLimited,
    ReauthRequired,
    Rejected,
    Transient,
)
from octopost.accounts.tables import Account
from octopost.db import Database, utcnow
from octopost.posts.state import TargetStatus
from octopost.posts.tables import Target
from octopost.runtime import Runtime
from scheduler import outcome

log = logging.getLogger("octopost.scheduler")

DEFAULT_RATE_LIMIT_WAIT = 60.0  # a 429 that says nothing of when to come back
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class Run:
    """One target being published by this worker: what every step and reaction needs. ``adapter`` is replaced
    when the account's tokens are refreshed mid-publish (scheduler/tokens.py), so steps read it from here."""

    runtime: Runtime
    adapter: Adapter
    account: Account
    target: Target
    owner: str  # the lease holder: every write is fenced by it
    context: dict[str, str] = field(default_factory=dict)  # for log lines
    sandbox: bool = False  # a test post: the sandbox adapter, which never reaches the platform

    @property
    def db(self) -> Database:
        return self.runtime.db

    async def end(self, status: TargetStatus, error: str, category: str) -> None:
        await outcome.end(self.db, self.target, self.owner, status, error, category)


async def _reconnect(run: Run, exc: AdapterError) -> None:
    """The credentials are refused (an AuthExpired here has been refreshed once already): the account becomes
    inactive and the user is told to reconnect it."""
    await outcome.deactivate_account(run.db, run.account.id)
    message = f"{exc.message.rstrip('.')}. Reconnect your {run.adapter.info.display_name} account."
    await run.end(TargetStatus.FAILED, message, ReauthRequired.category)


async def _wait_for_platform(run: Run, exc: AdapterError) -> None:
    """Rescheduled at the platform's Retry-After, without spending an attempt: the platform said when."""
    assert isinstance(exc, RateLimited)
    wait = exc.retry_after if exc.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT
    at = utcnow() + timedelta(seconds=max(wait, 0.0))
    await outcome.reschedule(run.db, run.target, run.owner, at, exc.message, exc.category, count_attempt=False)


async def _fail(run: Run, exc: AdapterError) -> None:
    await run.end(TargetStatus.FAILED, exc.message, exc.category)


async def _unconfirmed(run: Run, exc: AdapterError) -> None:
    await run.end(TargetStatus.UNCONFIRMED, exc.message, exc.category)


async def retry_later(run: Run, exc: AdapterError) -> None:
    """Backoff between attempts (base, 2x, 4x ..., capped at an hour), until max_attempts is spent."""
    settings = run.runtime.settings
    attempts = run.target.attempts + 1
    if attempts >= settings.max_attempts:
        await run.end(TargetStatus.FAILED, f"Gave up after {attempts} attempts: {exc.message}", Transient.category)
        return
    backoff = min(timedelta(seconds=settings.retry_base_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)
    at = utcnow() + backoff
    await outcome.reschedule(run.db, run.target, run.owner, at, exc.message, Transient.category, count_attempt=True)


Reaction = Callable[[Run, AdapterError], Awaitable[None]]

REACTIONS: dict[type[AdapterError], Reaction] = {
    AuthExpired: _reconnect,
    ReauthRequired: _reconnect,
    RateLimited: _wait_for_platform,
    Rejected: _fail,  # MediaRejected too, with its own category
    OutcomeUnknown: _unconfirmed,
    Transient: retry_later,
}


def reaction_for(exc: AdapterError) -> Reaction:
    """The reaction of the nearest class in ``exc``'s hierarchy that has one (a bare AdapterError: retry later)."""
    for cls in type(exc).__mro__:
        reaction = REACTIONS.get(cls)
        if reaction is not None:
            return reaction
    return retry_later


async def react(run: Run, exc: AdapterError) -> None:
    log.warning("target error %s: %s", exc.category, exc.message, extra=run.context)
    await reaction_for(exc)(run, exc)
