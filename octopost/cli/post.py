"""`octopost post "text" --to …`: create a post and publish it now, schedule it (--at/--tz, --next-slot) or keep
it as a draft; --wait follows it to the end and shows where it went live."""

from __future__ import annotations

from typing import Annotated

import typer

from octopost.cli import body, output, wait
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.output import JsonOption


def post(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="the main post's text")],
    to: body.ToOption = None,
    thread: body.ThreadOption = None,
    image: body.ImageOption = None,
    alt: body.AltOption = None,
    at: body.AtOption = None,
    tz: body.TzOption = None,
    next_slot: body.NextSlotOption = False,
    preset: body.PresetOption = None,
    draft: Annotated[bool, typer.Option("--draft", help="only save it (publish later from the API)")] = False,
    wait_for_it: wait.WaitOption = False,
    timeout: wait.TimeoutOption = 300.0,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish a post now (or at --at / the next free slot) to the platforms of --to or --preset."""
    scheduled_for = body.schedule_of(at, tz, next_slot)
    with connect(url, key, profile) as api:
        created = api.post(
            "/v1/posts",
            body.post_body(
                api,
                text,
                to=to,
                thread=thread,
                images=image,
                alts=alt,
                preset=preset,
                scheduled_for=scheduled_for,
                upload=True,
            ),
        )
        current = created if (draft or scheduled_for) else api.post(f"/v1/posts/{created['id']}/publish")
        if wait_for_it and not draft:
            wait.report(wait.follow(api, current, timeout, live=not as_json), as_json)
            return
    if as_json:
        output.emit_json(current)
    elif current["status"] == "scheduled":
        where = ", ".join(current["platforms"])
        output.out().print(f"Scheduled {current['id']} for {current['scheduled_for']} on {where}.")
    elif current["status"] == "draft":
        output.out().print(f"Saved draft {current['id']} for {', '.join(current['platforms'])}.")
    else:
        output.out().print(
            f"Publishing {current['id']} to {', '.join(current['platforms'])}: "
            f"`octopost posts show {current['id']}` for the links."
        )


def register(app: typer.Typer) -> None:
    app.command("post")(post)
