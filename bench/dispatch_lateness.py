"""Dispatch lateness: SIZE posts (default 100,000) scheduled ahead, DUE of them (default 5,000) coming due evenly
inside one minute; how late does each one reach its platform? Lateness = the fake's `received_at` of the
creating request (the first remote call of a text post) - `scheduled_for`. The real service, adapters and HTTP
clients run against the Mastodon and Bluesky fakes (50 ms latency); due posts alternate between them.

    .venv/bin/python bench/dispatch_lateness.py [SIZE] [--due 5000] [--postgres] [--workers 2]

The service is `octopost serve --no-scheduler` and --workers `octopost worker` processes (default 1), on SQLite,
or with --postgres on a throwaway PostgreSQL server. Duplicates are reported either way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, emit
from bench.stack import add_stack_arguments, running_stack, settings_of
from octopost.db import utcnow


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", type=int, default=100_000, help="posts scheduled in all")
    parser.add_argument("--due", type=int, default=5_000, help="of which come due inside the minute")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they come due")
    add_stack_arguments(parser)
    args = parser.parse_args()
    settings = settings_of(args)
    platforms = ["bluesky", "mastodon"]
    with tempfile.TemporaryDirectory(prefix="octopost-lateness-") as tmp, running_stack(
        Path(tmp), platforms=platforms, latency_ms=args.latency_ms, postgres=args.postgres, workers=args.workers,
        settings=settings,
    ) as stack:
        started = time.monotonic()
        # The rest are due in a month. Each post goes to one platform (as the due ones do), which halves the
        # seeding time.
        stack.seed_far(args.size - args.due, platforms)
        # The window opens a few seconds after seeding: every due post is in the database before its time. Due
        # times alternate between the platforms (post n of platform i is the (2n + i)-th of the window).
        opens = utcnow() + timedelta(seconds=5)
        step = args.window / args.due
        due = stack.seed_split(args.due, platforms, lambda i, n: opens + timedelta(seconds=(2 * n + i) * step),
                               lambda i, n: f"lateness {stack.run} {i} {n}")
        seeded = time.monotonic() - started
        stack.wait_created(args.due, timeout=args.window + 120)
        created = stack.created()
        duplicates = stack.duplicates()
    late = [item["received_at"] - due[item["text"]].timestamp() for item in created if item["text"] in due]
    first = {item["text"] for item in created if item["text"] in due}
    p50, p99 = percentile(late, 0.50), percentile(late, 0.99)
    dialect = f"PostgreSQL, {args.workers} workers" if args.postgres else f"SQLite, {args.workers} worker"
    met = p99 < 1.0 and p50 < 0.25 and duplicates == 0 and len(first) == args.due
    emit(Figure(
        benchmark=f"dispatch lateness ({args.size:,} scheduled, {args.due:,} due in {args.window:.0f} s, {dialect})",
        reference="scheduled_for",
        measured=f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {max(late) * 1000:.0f} ms, "
                 f"min {min(late) * 1000:.0f} ms, {duplicates} duplicates",
        ratio=None,
        target="p99 < 1 s; p50 < 250 ms; 0 duplicates",
        met=met,
        details={"p50_s": p50, "p99_s": p99, "mean_s": statistics.fmean(late), "max_s": max(late),
                 "due": args.due, "size": args.size, "duplicates": duplicates, "seed_s": seeded,
                 "postgres": args.postgres, "workers": args.workers},
    ))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
