"""The claim with per-platform rooms, and the next due time it reports, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from octopost.db import Database
from scheduler import claims
from tests.scheduler.flows import seed

LEASE = timedelta(seconds=60)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _platforms(claim: claims.Claim) -> Counter[str]:
    return Counter(c.platform for c in claim.claimed)


async def test_a_claim_takes_no_more_of_a_platform_than_its_room(migrated_database_url: str) -> None:
    a, b = Database(migrated_database_url), Database(migrated_database_url)
    try:
        await seed(a, 10, due=T0)
        first = await claims.claim(a, "a", T0, LEASE, 16, {"bluesky": 3, "mastodon": 1, "twitter": 5})
        assert _platforms(first) == {"bluesky": 3, "mastodon": 1}
        assert first.full == {"bluesky", "mastodon"}  # both may have more due: the dispatcher claims again
        # A full platform is not asked about; the others' work is still there for the next claimer.
        second = await claims.claim(b, "b", T0, LEASE, 16, {"bluesky": 0, "mastodon": 4})
        assert _platforms(second) == {"mastodon": 4}
        assert not {c.target_id for c in first.claimed} & {c.target_id for c in second.claimed}
    finally:
        await a.dispose()
        await b.dispose()


async def test_a_platform_at_its_limit_does_not_hold_back_the_others(migrated_database_url: str) -> None:
    db = Database(migrated_database_url)
    try:
        await seed(db, 30, due=T0 - timedelta(minutes=5), platforms=("bluesky",))  # a backlog, due first
        await seed(db, 2, due=T0, platforms=("mastodon",))
        taken = await claims.claim(db, "w", T0, LEASE, 16, {"bluesky": 0, "mastodon": 8})
        assert _platforms(taken) == {"mastodon": 2}
        assert taken.full == set()
        assert not taken.more
    finally:
        await db.dispose()


async def test_the_claim_reports_when_the_next_pending_target_comes_due(migrated_database_url: str) -> None:
    db = Database(migrated_database_url)
    try:
        await seed(db, 1, due=T0)
        await seed(db, 1, due=T0 + timedelta(seconds=7))
        await seed(db, 1, due=T0 + timedelta(hours=1))
        taken = await claims.claim(db, "w", T0, LEASE, 16, {"bluesky": 8, "mastodon": 8})
        assert len(taken.claimed) == 2
        assert taken.next_due == T0 + timedelta(seconds=7)
        # With no room at all nothing is claimed, and the next due time is still known.
        none = await claims.claim(db, "w", T0, LEASE, 16, {"bluesky": 0, "mastodon": 0})
        assert none.claimed == []
        assert none.next_due == T0 + timedelta(seconds=7)
        assert await claims.next_due(db, T0 + timedelta(seconds=8)) == T0 + timedelta(hours=1)
    finally:
        await db.dispose()
