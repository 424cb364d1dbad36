"""--wait: follow a post until every platform has its outcome (polling GET /v1/posts/{id} up to a deadline),
with a live line per platform on a terminal; then the results table."""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table

from octopost.cli import output, results
from octopost.cli.client import Api
from octopost.cli.errors import CliError

WaitOption = Annotated[bool, typer.Option("--wait", help="follow it until every platform is done, then show links")]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", metavar="SECONDS", help="seconds --wait waits at most", min=0)
]
POLL_SECONDS = 0.3


def _progress(post: dict[str, Any]) -> Table:
    grid = output.table("", "PLATFORM", "STATUS", title=f"{post['id']}: {post.get('status')}")
    for row in results.rows(post):
        mark: Any = Spinner("dots") if row.status not in ("published", "failed", "unconfirmed") else "•"
        grid.add_row(mark, row.platform, row.status)
    return grid


def follow(api: Api, post: dict[str, Any], timeout: float, live: bool) -> dict[str, Any]:
    """The post once settled; a CliError when the deadline passes first."""
    deadline = time.monotonic() + timeout
    show = live and output.out().is_terminal
    # Transient: once settled the progress gives way to the results table.
    with Live(_progress(post), console=output.out(), transient=True) if show else nullcontext() as display:
        while not results.settled(post):
            if time.monotonic() >= deadline:
                raise CliError(
                    f"{post['id']} is still {post.get('status')} after {timeout:g} s: "
                    f"see `octopost posts show {post['id']}` later"
                )
            time.sleep(POLL_SECONDS)  # the polling interval of the deadline loop
            post = api.get(f"/v1/posts/{post['id']}")
            if display is not None:
                display.update(_progress(post))
    return post


def report(post: dict[str, Any], as_json: bool) -> None:
    """Print the settled post (its table, or its JSON); exit code 1 when any platform failed."""
    if as_json:
        output.emit_json(post)
    else:
        output.out().print(results.results_table(post, title=f"{post['id']}: {post.get('status')}"))
    if any(row.failed for row in results.rows(post)):
        raise typer.Exit(1)
