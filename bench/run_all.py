"""`make bench`: every issue-4 benchmark in one run, one table at the end, and bench/RESULTS.md updated.

    .venv/bin/python bench/run_all.py [--only NAME ...] [--no-write]

Each benchmark is a plain script in bench/ that also runs alone; this runs them one after another (never two at
once: they would measure each other) and collects their `BENCH {json}` lines (bench/report.py). RESULTS.md keeps
its hand-written notes; only the part between the markers is replaced.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, machine, parse

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

# (name, script, arguments): the sizes, in an order where the cheap ones go first.
RUNS: list[tuple[str, str, list[str]]] = [
    ("api_throughput", "api_throughput.py", ["20"]),
    ("bulk_import", "bulk_import.py", ["10000"]),
    ("list_scaling", "list_scaling.py", ["100000"]),
    ("fan_out", "fan_out.py", []),
    ("dispatch_lateness", "dispatch_lateness.py", []),
    ("burst", "burst.py", []),
    ("worker_memory", "worker_memory.py", []),
    ("dispatch_lateness_pg", "dispatch_lateness.py", ["--postgres", "--workers", "2"]),
    ("burst_pg", "burst.py", ["--postgres", "--workers", "2"]),
]


def run(script: str, args: list[str]) -> tuple[list[Figure], int, float]:
    started = time.monotonic()
    command = [sys.executable, str(BENCH / script), *args]
    print(f"$ {' '.join(command[1:])}", flush=True)
    figures: list[Figure] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            figure = parse(line)
            if figure is None:
                print("  " + line, end="", flush=True)
            else:
                figures.append(figure)
    return figures, process.returncode, time.monotonic() - started


def _one(figures: list[Figure], key: str, postgres: bool) -> Figure | None:
    return next((f for f in figures if key in f.details and bool(f.details.get("postgres")) == postgres), None)


def postgres_vs_sqlite(figures: list[Figure]) -> list[Figure]:
    """The issue's last row: the same dispatch and burst on PostgreSQL with several workers, as ratios of the
    SQLite run (no target but the ratio itself, and no duplicates)."""
    derived = []
    lite, pg = _one(figures, "p99_s", False), _one(figures, "p99_s", True)
    if lite and pg:
        d, e = lite.details, pg.details
        derived.append(Figure(
            benchmark=f"dispatch lateness on PostgreSQL ({e['workers']} workers) vs SQLite ({d['workers']})",
            reference=f"SQLite: p50 {d['p50_s'] * 1000:.0f} ms, p99 {d['p99_s'] * 1000:.0f} ms",
            measured=f"PostgreSQL: p50 {e['p50_s'] * 1000:.0f} ms, p99 {e['p99_s'] * 1000:.0f} ms, "
            f"{e['duplicates']} duplicates",
            ratio=e["p99_s"] / d["p99_s"] if d["p99_s"] else None,
            target="report the ratio (p99); 0 duplicates",
            met=e["duplicates"] == 0,
        ))
    lite, pg = _one(figures, "posts_per_s", False), _one(figures, "posts_per_s", True)
    if lite and pg:
        d, e = lite.details, pg.details
        derived.append(Figure(
            benchmark=f"burst on PostgreSQL ({e['workers']} workers) vs SQLite ({d['workers']})",
            reference=f"SQLite: {d['posts_per_s']:.1f} platform posts/s",
            measured=f"PostgreSQL: {e['posts_per_s']:.1f} platform posts/s, {e['duplicates']} duplicates",
            ratio=e["posts_per_s"] / d["posts_per_s"] if d["posts_per_s"] else None,
            target="report the ratio (throughput); 0 duplicates",
            met=e["duplicates"] == 0,
        ))
    return derived


def table(figures: list[Figure]) -> str:
    rows = ["| benchmark | measured | reference | ratio | target | |", "|---|---|---|---|---|---|"]
    for f in figures:
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        rows.append(f"| {f.benchmark} | {f.measured} | {f.reference} | {ratio} | {f.target} | "
                    f"{'met' if f.met else '**missed**'} |")
    return "\n".join(rows)


def write_results(text: str) -> None:
    old = RESULTS.read_text() if RESULTS.exists() else f"# Benchmark results\n\n{BEGIN}\n{END}\n"
    if BEGIN not in old or END not in old:
        old = f"{old.rstrip()}\n\n{BEGIN}\n{END}\n"
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    RESULTS.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=None, help="names to run (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()
    runs = [r for r in RUNS if args.only is None or r[0] in args.only]
    started = time.monotonic()
    figures: list[Figure] = []
    failed: list[str] = []
    for name, script, script_args in runs:
        found, code, seconds = run(script, script_args)
        print(f"  → {name}: {len(found)} figure(s), exit {code}, {seconds:.0f} s", flush=True)
        figures += found
        if not found:  # a missed target still reports its figure (and exits 1): only no figure is a failure
            failed.append(f"{name} (exit {code}, no figure)")
    figures += postgres_vs_sqlite(figures)
    total = time.monotonic() - started
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = (
        f"Run {when} on {machine()}; {total:.0f} s in all (`make bench`).\n\n{table(figures)}\n"
        + (f"\nDid not finish cleanly: {', '.join(failed)}\n" if failed else "")
    )
    print("\n" + report)
    if not args.no_write and args.only is None:
        write_results(report)
        print(f"written to {RESULTS.relative_to(BENCH.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
