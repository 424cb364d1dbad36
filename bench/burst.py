"""Burst: SIZE posts (default 2,000) due at the same second, each to Bluesky, Mastodon and X (their fakes), 50 ms
latency, with per-platform concurrency limits (OCTOPOST_PLATFORM_CONCURRENCY). The reference is the throughput
those limits allow: every worker keeps N requests in flight to a platform, each taking the fake's latency, so
N / latency platform posts per second per platform and worker. Measured: platform posts created / (last
creating request - the due second).

    .venv/bin/python bench/burst.py [SIZE] [--limit 2] [--postgres] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, emit
from bench.stack import add_stack_arguments, running_stack, settings_of
from octopost.db import utcnow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", type=int, default=2_000, help="posts, each to every platform")
    parser.add_argument("--limit", type=int, default=2, help="concurrency limit per platform (and worker)")
    add_stack_arguments(parser)
    args = parser.parse_args()
    platforms = ["bluesky", "mastodon", "twitter"]
    settings = {
        "OCTOPOST_PLATFORM_CONCURRENCY": ",".join(f"{p}={args.limit}" for p in platforms),
        **settings_of(args),
    }
    with tempfile.TemporaryDirectory(prefix="octopost-burst-") as tmp, running_stack(
        Path(tmp), platforms=platforms, latency_ms=args.latency_ms, postgres=args.postgres, workers=args.workers,
        settings=settings,
    ) as stack:
        # Due a few seconds after seeding ends, on a whole second: the burst starts when the clock says so.
        at = (utcnow() + timedelta(seconds=4 + args.size / 4000)).replace(microsecond=0)
        stack.seed(args.size, platforms, lambda n: at, lambda n: f"burst {stack.run} {n}")
        expected = args.size * len(platforms)
        stack.wait_created(expected, timeout=120 + expected / 10)
        created = stack.created()
        duplicates = stack.duplicates()
        stats = {p: fake.stats() for p, fake in stack.fakes.items()}
    elapsed = max(item["received_at"] for item in created) - at.timestamp()
    measured = len(created) / elapsed
    limit = args.workers * len(platforms) * args.limit / (args.latency_ms / 1000)
    per_platform = Counter(item["account"] for item in created)
    high_water = {p: s.get("max_in_flight") for p, s in stats.items()}
    dialect = f"PostgreSQL, {args.workers} workers" if args.postgres else f"SQLite, {args.workers} worker"
    ratio = measured / limit
    met = ratio >= 0.8 and duplicates == 0 and len(created) == expected
    emit(Figure(
        benchmark=f"burst ({args.size:,} posts due at once x {len(platforms)} platforms, limit {args.limit} per "
                  f"platform, {args.latency_ms:.0f} ms, {dialect})",
        reference=f"{limit:.0f} platform posts/s allowed by the limits",
        measured=f"{measured:.1f} platform posts/s ({len(created)} in {elapsed:.1f} s), {duplicates} duplicates, "
                 f"most in flight per platform {high_water}",
        ratio=ratio,
        target="≥ 0.8x, 0 duplicates",
        met=met,
        details={"posts_per_s": measured, "limit_per_s": limit, "seconds": elapsed, "duplicates": duplicates,
                 "platforms": platforms, "created_by_account": dict(per_platform), "max_in_flight": high_water,
                 "postgres": args.postgres, "workers": args.workers},
    ))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
