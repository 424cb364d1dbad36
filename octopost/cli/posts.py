"""`octopost posts list|show|retry|unpublish`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from octopost.cli import output, results, wait
from octopost.cli.client import KeyOption, ProfileOption, UrlOption, connect
from octopost.cli.output import JsonOption

posts = typer.Typer(help="List, show, retry and unpublish posts.", no_args_is_help=True)

PostId = Annotated[str, typer.Argument(metavar="POST_ID", help="the post's id (post_…)")]
PlatformsOption = Annotated[
    list[str] | None,
    typer.Option("--platform", metavar="PLATFORM", help="only this platform (repeatable) [default: every one]"),
]


@posts.command("list")
def list_posts(
    status: Annotated[
        str | None, typer.Option("--status", help="draft, scheduled, publishing, published or failed")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="1 to 100")] = 10,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """List posts, newest first."""
    with connect(url, key, profile) as api:
        page = api.get("/v1/posts", status=status, limit=limit, offset=offset)
    if as_json:
        output.emit_json(page)
        return
    grid = output.table(
        "ID",
        "STATUS",
        "PLATFORMS",
        "SCHEDULED FOR",
        "CONTENT",
        title=f"{page['total']} post{'' if page['total'] == 1 else 's'}",
    )
    for item in page["posts"]:
        cells = (
            item["id"],
            item["status"],
            ",".join(item["platforms"]),
            item.get("scheduled_for") or "-",
            output.shorten(item["content"]),
        )
        grid.add_row(*map(output.escape, cells))
    output.out().print(grid)


def _details(post: dict[str, Any]) -> None:
    console = output.out()
    console.print(f"[bold]{post['id']}[/]  {post['status']}", highlight=False)
    times = (("scheduled for", "scheduled_for"), ("published at", "published_at"), ("created", "created_at"))
    for label, name in times:
        if post.get(name):
            console.print(f"{label}: {post[name]}")
    console.print(post["content"], markup=False)
    for number, segment in enumerate(post.get("segments") or [], start=1):
        console.print(f"  reply {number}: {segment['content']}", markup=False)
    console.print(results.results_table(post))


@posts.command("show")
def show(
    post_id: PostId,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """One post: its text, thread, and how each platform went (with links)."""
    with connect(url, key, profile) as api:
        post = api.get(f"/v1/posts/{post_id}")
    if as_json:
        output.emit_json(post)
    else:
        _details(post)


@posts.command("retry")
def retry(
    post_id: PostId,
    platform: PlatformsOption = None,
    include_unconfirmed: Annotated[
        bool,
        typer.Option("--include-unconfirmed", help="also where the outcome is unknown (may appear twice there)"),
    ] = False,
    wait_for_it: wait.WaitOption = False,
    timeout: wait.TimeoutOption = 300.0,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish again on the platforms that failed."""
    request: dict[str, Any] = {"include_unconfirmed": include_unconfirmed}
    if platform:
        request["platforms"] = platform
    with connect(url, key, profile) as api:
        post = api.post(f"/v1/posts/{post_id}/retry", request)
        if wait_for_it:
            wait.report(wait.follow(api, post, timeout, live=not as_json), as_json)
            return
    if as_json:
        output.emit_json(post)
    else:
        output.out().print(f"Retrying {post_id}: now {post['status']}.")


@posts.command("unpublish")
def unpublish(
    post_id: PostId,
    platform: PlatformsOption = None,
    url: UrlOption = None,
    key: KeyOption = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete what the post published from its platforms (the scheduler takes it down)."""
    with connect(url, key, profile) as api:
        post = api.post(f"/v1/posts/{post_id}/unpublish", {"platforms": platform} if platform else {})
    if as_json:
        output.emit_json(post)
        return
    grid = output.table("PLATFORM", "UNPUBLISH", title=f"{post_id}: taking it down")
    for name, result in sorted((post.get("platform_results") or {}).items()):
        grid.add_row(name, result.get("unpublish_status") or "-")
    output.out().print(grid)


def register(app: typer.Typer) -> None:
    app.add_typer(posts, name="posts")
