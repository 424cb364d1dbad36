"""The claim, its lease and fencing, on SQLite and on PostgreSQL: what keeps any number of workers correct.

Each claimer has its own engine (its own connections), as separate worker processes would. Time is passed in
(``now``), so expiring a lease needs no waiting.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from adapters.base import PublishedRef
from octopost.db import Database
from octopost.posts.tables import Delivery, Post, Target
from scheduler import claims, ledger, outcome
from scheduler.claims import LeaseLost
from tests.scheduler.flows import seed

LEASE = timedelta(seconds=60)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def _targets(db: Database) -> dict[str, Target]:
    async with db.session() as session:
        return {t.id: t for t in (await session.exec(select(Target))).all()}


async def _post_statuses(db: Database) -> set[str]:
    async with db.session() as session:
        return set((await session.exec(select(Post.status))).all())


async def test_concurrent_claimers_never_get_the_same_target(migrated_database_url: str) -> None:
    setup = Database(migrated_database_url)
    workers = [Database(migrated_database_url) for _ in range(4)]
    try:
        await seed(setup, 150, due=T0)

        async def claimer(db: Database, owner: str) -> list[str]:
            got: list[str] = []
            while batch := await claims.claim_due(db, owner, T0, LEASE, limit=7):
                got.extend(c.target_id for c in batch)
            return got

        owners = [(db, f"worker-{w}-{n}") for w, db in enumerate(workers) for n in range(3)]
        results = await asyncio.gather(*(claimer(db, owner) for db, owner in owners))
        everything = [target for got in results for target in got]
        stored = await _targets(setup)
        assert len(everything) == len(set(everything)) == len(stored) == 300  # each once, none left behind
        for (_, owner), got in zip(owners, results, strict=True):
            assert all(stored[t].lease_owner == owner and stored[t].status == "publishing" for t in got)
        assert sum(1 for got in results if got) >= 2  # the claimers really ran side by side
        assert await _post_statuses(setup) == {"publishing"}
    finally:
        for db in (setup, *workers):
            await db.dispose()


async def test_expired_leases_are_reclaimed_and_live_ones_are_not(migrated_database_url: str) -> None:
    a, b = Database(migrated_database_url), Database(migrated_database_url)
    try:
        await seed(a, 3, due=T0)
        await seed(a, 1, due=T0 + timedelta(hours=1))  # not due yet at any time below
        first = {c.target_id for c in await claims.claim_due(a, "a", T0, LEASE, limit=50)}
        assert len(first) == 6
        assert await claims.claim_due(b, "b", T0 + LEASE / 2, LEASE, limit=50) == []  # a's lease still runs
        later = T0 + LEASE + timedelta(seconds=1)  # a died: its lease ran out
        taken = {c.target_id for c in await claims.claim_due(b, "b", later, LEASE, limit=50)}
        assert taken == first
        stored = await _targets(a)
        assert {stored[t].lease_owner for t in taken} == {"b"}
        assert {stored[t].lease_until for t in taken} == {later + LEASE}
        assert sum(1 for t in stored.values() if t.status == "pending") == 2
    finally:
        await a.dispose()
        await b.dispose()


async def test_fenced_writes_refuse_after_the_lease_is_lost(migrated_database_url: str) -> None:
    a, b = Database(migrated_database_url), Database(migrated_database_url)
    try:
        await seed(a, 1, due=T0, platforms=("mastodon",))
        [claimed] = await claims.claim_due(a, "a", T0, LEASE, limit=10)
        target_id = claimed.target_id
        assert await claims.renew(a, "a", [target_id], T0 + LEASE) == {target_id}
        # a stalls past its lease; b takes the target over.
        [taken] = await claims.claim_due(b, "b", T0 + 3 * LEASE, LEASE, limit=10)
        assert taken.target_id == target_id
        target = (await _targets(a))[target_id]

        assert await claims.renew(a, "a", [target_id], T0 + 4 * LEASE) == set()
        with pytest.raises(LeaseLost):
            await ledger.mark_sending(a, target_id, "a", 0, "key-of-a")
        ref = PublishedRef(id="1", url="https://example.invalid/1")
        with pytest.raises(LeaseLost):
            await outcome.succeed(a, target, "a", ref, None)
        with pytest.raises(LeaseLost):
            await outcome.reschedule(a, target, "a", T0, "late", "transient", count_attempt=True)
        with pytest.raises(LeaseLost):
            await outcome.end(a, target, "a", "failed", "late", "transient")

        # The holder's writes go through, and a's left no trace.
        await ledger.mark_sending(b, target_id, "b", 0, "key-of-b")
        await ledger.mark_sent(b, target_id, "b", 0, ref)
        await outcome.succeed(b, target, "b", ref, None)
        async with b.session() as session:
            deliveries = (await session.exec(select(Delivery))).all()
        assert [(d.idempotency_key, d.state) for d in deliveries] == [("key-of-b", "sent")]
        stored = (await _targets(b))[target_id]
        assert (stored.status, stored.lease_owner, stored.remote_id) == ("succeeded", None, "1")
        assert await _post_statuses(b) == {"published"}
    finally:
        await a.dispose()
        await b.dispose()
