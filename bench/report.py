"""How every benchmark reports: human lines as it goes, and one machine-readable `BENCH {json}` line per figure.

`bench/run_all.py` (what `make bench` runs) collects the BENCH lines of every script into one table and
bench/RESULTS.md. A figure is always a ratio against a reference measured in the same run, with the absolute
numbers beside it (machines here are shared and noisy).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

PREFIX = "BENCH "


@dataclass
class Figure:
    benchmark: str  # e.g. "POST /v1/posts throughput (32 clients, SQLite)"
    reference: str  # what it is compared with, e.g. "bare Litestar JSON echo: 5,210 req/s"
    measured: str  # the absolute figure(s), e.g. "3,400 req/s, p99 18 ms, 0 errors"
    ratio: float | None  # measured / reference (None when the target is absolute only)
    target: str  # e.g. "≥ 0.6x, p99 < 25 ms, 0 errors"
    met: bool
    details: dict[str, Any] = field(default_factory=dict)


def emit(figure: Figure) -> None:
    """Print the figure for people and for run_all.py."""
    ratio = "-" if figure.ratio is None else f"{figure.ratio:.2f}x"
    verdict = "met" if figure.met else "MISSED"
    print(f"{figure.benchmark}: {figure.measured} | reference {figure.reference} | ratio {ratio} | "
          f"target {figure.target} → {verdict}")
    print(PREFIX + json.dumps(asdict(figure), ensure_ascii=False), flush=True)


def parse(line: str) -> Figure | None:
    if not line.startswith(PREFIX):
        return None
    return Figure(**json.loads(line[len(PREFIX):]))


def machine() -> str:
    """One line about where the figures came from."""
    return f"{platform.node()} · {os.cpu_count()} cores · {platform.platform()} · Python {sys.version.split()[0]}"
