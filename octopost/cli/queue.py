"""`octopost queue`: the weekly slots and the next free ones."""

from __future__ import annotations

from typing import Annotated

import typer

from octopost.cli import output
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.output import JsonOption


def queue(
    count: Annotated[int, typer.Option("--count", help="how many free slots to show (1 to 50)")] = 5,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """The queue's weekly slots and its next free ones (what --next-slot would take)."""
    with connect(url, key, profile) as api:
        schedule = api.get("/v1/queue")
        # Without slots there is nothing free to ask for (the API refuses the question).
        upcoming = api.get("/v1/queue/next", count=count)["slots"] if schedule["slots"] else []
    if as_json:
        output.emit_json({"timezone": schedule["timezone"], "slots": schedule["slots"], "next_free": upcoming})
        return
    console = output.out()
    if not schedule["slots"]:
        console.print(f"The queue has no slots ({schedule['timezone']}): set them with PUT /v1/queue.")
        return
    weekly = output.table("DAY", "TIME", title=f"Weekly slots ({schedule['timezone']})")
    for slot in schedule["slots"]:
        weekly.add_row(slot["day"], slot["time"])
    console.print(weekly)
    free = output.table("SCHEDULED FOR (UTC)", "DAY", "LOCAL TIME", title="Next free slots")
    for slot in upcoming:
        free.add_row(slot["scheduled_for"], slot["day"], slot["time"])
    console.print(free)


def register(app: typer.Typer) -> None:
    app.command("queue")(queue)
