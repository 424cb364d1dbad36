"""Many-workers benchmark: N `octopost worker` processes and one `octopost serve --no-scheduler` on one
PostgreSQL server publish SIZE posts (default 10,000) that come due at once, to two platforms (the Mastodon and
Bluesky fakes in tests/fakes/, with latency). Prints posts/s, duplicates and lost (both must be 0).

    .venv/bin/python bench/multi_worker.py [SIZE] [--workers 4] [--latency-ms 20] [--fault-rate 0.1]
                                           [--durable] [--set NAME=VALUE]

--set passes OCTOPOST_* settings to every process (e.g. --set OCTOPOST_MAX_PARALLEL_TARGETS=32). The
PostgreSQL server is a throwaway one in a temp directory, with fsync off unless --durable. Needs PostgreSQL's
server binaries (scripts/install-postgres.sh).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.peers.postgres import running_postgres
from tests.scale.many_workers import run_many_workers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", type=int, default=10_000, help="posts (each to 2 platforms)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="each fake answers in this to twice this")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of platform writes that fail (0-1)")
    parser.add_argument("--durable", action="store_true", help="PostgreSQL with fsync and synchronous_commit on")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an OCTOPOST_* setting")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    with running_postgres(durable=args.durable) as server, tempfile.TemporaryDirectory(prefix="octopost-mw-") as tmp:
        report = run_many_workers(
            Path(tmp),
            server,
            posts=args.size,
            workers=args.workers,
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            settings=settings,
            timeout=max(600.0, args.size / 5),
        )
    print(report.summary())
    print(
        f"multi_worker posts={report.posts} workers={report.workers} posts_per_s={report.posts_per_second:.1f}"
        f" publish_s={report.publish_seconds:.1f} create_s={report.create_seconds:.1f}"
        f" duplicates={sum(report.duplicates.values())} lost={sum(report.lost.values())}"
        f" not_published={report.not_published} workers_claiming={report.workers_claiming}"
        f" faults_injected={sum(report.faults.values())}"
    )
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
