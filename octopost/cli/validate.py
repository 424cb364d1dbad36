"""`octopost validate "text" --to …`: what publishing would say, stored nowhere: each segment's count against
its platform's limit, and every problem."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from octopost.cli import body, output
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.output import JsonOption


def _report(preview: dict[str, Any]) -> None:
    console = output.out()
    grid = output.table("PLATFORM", "SEGMENT", "COUNT", "LIMIT", "UNIT", "REMAINING")
    for platform, found in sorted(preview["platforms"].items()):
        for segment in found["segments"]:
            remaining = segment["remaining"]
            shown = f"[red]{remaining} (over by {-remaining})[/]" if remaining < 0 else str(remaining)
            label = "main" if segment["index"] == 0 else f"reply {segment['index']}"
            grid.add_row(platform, label, str(segment["count"]), str(segment["limit"]), segment["unit"], shown)
    console.print(grid)
    problems = [*preview["problems"]]
    for platform, found in sorted(preview["platforms"].items()):
        problems.extend(p if p.startswith(f"{platform}:") else f"{platform}: {p}" for p in found["problems"])
    for problem in problems:
        console.print(f"[red]✗[/] {output.escape(problem)}")
    console.print("[green]valid[/]: every platform takes it" if preview["valid"] else "[red]not valid[/]")


def validate(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="the main post's text")],
    to: body.ToOption = None,
    thread: body.ThreadOption = None,
    image: Annotated[list[str] | None, typer.Option("--image", metavar="URL", help="an image URL (repeatable)")] = None,
    alt: body.AltOption = None,
    at: body.AtOption = None,
    tz: body.TzOption = None,
    next_slot: body.NextSlotOption = False,
    preset: body.PresetOption = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a post as publishing it would (counts per segment, every problem); exit code 1 when not valid."""
    scheduled_for = body.schedule_of(at, tz, next_slot)
    with connect(url, key, profile) as api:
        request = body.post_body(
            api,
            text,
            to=to,
            thread=thread,
            images=image,
            alts=alt,
            preset=preset,
            scheduled_for=scheduled_for,
            upload=False,
        )
        preview = api.post("/v1/posts/validate", request)
    if as_json:
        output.emit_json(preview)
    else:
        _report(preview)
    if not preview["valid"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
