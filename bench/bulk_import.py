"""Bulk import: 10,000 CSV rows through `POST /v1/posts/bulk` on SQLite, as a dry run and as an import of drafts
and scheduled posts (half each, on two sandbox accounts), against the same rows created one `POST /v1/posts` at a
time over one connection. Prints rows/s of each and the server's high-water RSS (VmHWM) before and after: the
import must stay in bounded memory.

    .venv/bin/python bench/bulk_import.py [ROWS]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.report import Figure, emit
from tests.peers.app import OctopostProcess, make_octopost
from tests.scheduler.flows import connect, in_seconds

_SINGLES = 500  # one-by-one creates timed for the reference (the rate is per row)


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _sandbox(service: OctopostProcess, workspace: str) -> httpx.Client:
    api = service.client(service.new_key(workspace=workspace, mode="test"))
    api.timeout = httpx.Timeout(300)
    connect(api, "twitter", "https://api.x.com", {"access_token": "sandbox-token"})
    connect(api, "bluesky", "https://bsky.social", {"identifier": "team.bsky.social", "password": "app-password"})
    return api


def _csv(rows: int) -> bytes:
    later = in_seconds(86_400)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["content", "platforms", "scheduled_for"])
    for n in range(rows):
        writer.writerow([f"Bulk post number {n} with a little text", "twitter|bluesky", later if n % 2 else ""])
    return out.getvalue().encode()


def _timed_bulk(api: httpx.Client, body: bytes, query: str) -> float:
    started = time.perf_counter()
    answer = api.post(f"/v1/posts/bulk{query}", content=body, headers={"Content-Type": "text/csv"})
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    if any(not row["valid"] for row in answer.json()["rows"]):
        raise RuntimeError("a benchmark row was invalid")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="octopost-bulk-") as tmp:
        service = make_octopost(Path(tmp), OCTOPOST_RATE_LIMIT_PER_MINUTE="0").start("--no-scheduler")
        try:
            pid = service.process.pid if service.process else 0
            body = _csv(args.rows)
            api = _sandbox(service, "ws-bench-bulk")
            single = _sandbox(service, "ws-bench-single")
            started = time.perf_counter()
            for n in range(_SINGLES):
                single.post("/v1/posts", json={"content": f"one {n}", "platforms": ["twitter", "bluesky"]})
            single_rate = _SINGLES / (time.perf_counter() - started)
            rss_before = _kib(pid, "VmHWM")
            dry = _timed_bulk(api, body, "?dry_run=true")
            created = _timed_bulk(api, body, "")
            rss_after = _kib(pid, "VmHWM")
        finally:
            service.stop()
    import_rate = args.rows / created
    ratio = import_rate / single_rate
    emit(Figure(
        benchmark=f"bulk import of {args.rows:,} CSV rows (half scheduled, SQLite)",
        reference=f"one POST /v1/posts at a time: {single_rate:,.0f} rows/s",
        measured=f"dry run {args.rows / dry:,.0f} rows/s, import {import_rate:,.0f} rows/s ({created:.1f} s), "
        f"peak RSS {rss_before / 1024:.0f} → {rss_after / 1024:.0f} MB",
        ratio=ratio,
        target="> 5x one-by-one, import < 10 s",
        met=ratio > 5 and created < 10,
        details={"rows": args.rows, "dry_s": dry, "import_s": created, "rss_before_kib": rss_before,
                 "rss_after_kib": rss_after, "postgres": False},
    ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
