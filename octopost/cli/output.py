"""Where a command's output goes: Rich for people (plain text, no escapes, when stdout is not a terminal), JSON
for scripts (--json: nothing but JSON on stdout), errors on stderr."""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Annotated, Any

import typer
from rich import markup
from rich.console import Console
from rich.table import Table

JsonOption = Annotated[bool, typer.Option("--json", help="print machine-readable JSON on stdout")]

# Piped output is read by scripts and people copying links: wide enough that a URL is never folded mid-way.
_PIPED_WIDTH = 240


def _console(stream: Any) -> Console:
    width = None if stream.isatty() else _PIPED_WIDTH
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


@cache
def out() -> Console:
    return _console(sys.stdout)


@cache
def err() -> Console:
    return _console(sys.stderr)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error(lines: list[str]) -> None:
    first, *rest = lines
    err().print(f"[bold red]error:[/] {escape(first)}")
    for line in rest:
        err().print(escape(line))


def escape(text: str) -> str:
    """Server text printed as it is, never read as Rich markup."""
    return markup.escape(text)


def table(*columns: str, title: str | None = None) -> Table:
    grid = Table(
        *columns,
        title=title,
        title_justify="left",
        box=None,
        header_style="bold",
        pad_edge=False,
        min_width=len(title) if title else None,  # a title is never wrapped to a narrow table's width
    )
    for column in grid.columns:
        column.overflow = "fold"
    return grid


def shorten(text: str | None, width: int = 60) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
