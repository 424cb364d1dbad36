"""Worker memory: the resident size of an `octopost worker` started on 1,000 pending scheduled posts, and of one
started on SIZE (default 100,000). Both publish the same few due posts (to the Mastodon and Bluesky fakes) and
tick for a few seconds; the rest are scheduled ahead. The figure is the high-water RSS (VmHWM) of the second
against the first: pending work must not be loaded into memory.

    .venv/bin/python bench/worker_memory.py [SIZE] [--postgres] [--ticks 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, emit
from bench.stack import Stack, running_stack
from octopost.db import utcnow

_BASELINE = 1_000
_DUE = 100  # published by each worker, so the pipeline (adapters, HTTP clients, the ledger) is in its memory
PLATFORMS = ["bluesky", "mastodon"]


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _measure(work: Path, pending: int, *, postgres: bool, ticks: int) -> int:
    """The worker's high-water RSS in KiB, started on ``pending`` scheduled posts."""
    work.mkdir()
    with running_stack(work, platforms=PLATFORMS, postgres=postgres, workers=1) as stack:
        stack.seed_far(pending, PLATFORMS)
        now = utcnow()
        stack.seed(_DUE, PLATFORMS, lambda n: now, lambda n: f"due {stack.run} {n}")
        stack.restart_schedulers()  # the measured worker starts on the full table
        stack.wait_created(_DUE * len(PLATFORMS), timeout=120)
        return _settle(stack, ticks)


def _settle(stack: Stack, ticks: int) -> int:
    """Let the worker tick ``ticks`` more times (its claims and wake-ups over the pending rows), then read VmHWM."""
    pid = stack.schedulers[0].pid
    deadline = time.monotonic() + ticks  # OCTOPOST_TICK_SECONDS is 1 s in the stack
    while time.monotonic() < deadline:
        if stack.schedulers[0].poll() is not None:
            raise RuntimeError("the worker exited")
        time.sleep(0.2)  # sampling interval: the worker runs meanwhile
    return _kib(pid, "VmHWM")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", type=int, default=100_000, help="pending posts of the big run")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--ticks", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="octopost-mem-") as tmp:
        small = _measure(Path(tmp) / "small", _BASELINE, postgres=args.postgres, ticks=args.ticks)
        big = _measure(Path(tmp) / "big", args.size, postgres=args.postgres, ticks=args.ticks)
    ratio = big / small
    dialect = "PostgreSQL" if args.postgres else "SQLite"
    met = ratio < 1.1 and big < 200 * 1024
    emit(Figure(
        benchmark=f"worker memory with {args.size:,} pending scheduled posts ({dialect})",
        reference=f"with {_BASELINE:,} pending: {small / 1024:.0f} MB",
        measured=f"{big / 1024:.0f} MB high-water RSS",
        ratio=ratio,
        target="< 1.1x and < 200 MB",
        met=met,
        details={"small_kib": small, "big_kib": big, "size": args.size, "postgres": args.postgres},
    ))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
