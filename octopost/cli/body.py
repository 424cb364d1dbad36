"""The body of POST /v1/posts (and /validate) from the command's options: platforms, thread segments, images
with alt text (local files uploaded first), the schedule, the preset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from octopost.cli import when
from octopost.cli.client import Api
from octopost.cli.errors import CliError

NEXT_FREE_SLOT = "next_free_slot"  # the API's word for "the queue's next free slot"

ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", metavar="PLATFORMS", help="platforms, comma-separated (e.g. bluesky,mastodon); or use --preset"
    ),
]
ThreadOption = Annotated[
    list[str] | None,
    typer.Option("--thread", metavar="TEXT", help="a reply after the main post (repeatable, in order)"),
]
ImageOption = Annotated[
    list[str] | None,
    typer.Option("--image", metavar="FILE|URL", help="an image file (uploaded) or an https URL (repeatable)"),
]
AltOption = Annotated[
    list[str] | None, typer.Option("--alt", metavar="TEXT", help="alt text of the image given before it")
]
AtOption = Annotated[str | None, typer.Option("--at", metavar="TIME", help='when, local to --tz: "YYYY-MM-DD HH:MM"')]
TzOption = Annotated[
    str | None, typer.Option("--tz", metavar="ZONE", help="IANA zone of --at [default: this machine's]")
]
NextSlotOption = Annotated[bool, typer.Option("--next-slot", help="take the queue's next free slot")]
PresetOption = Annotated[
    str | None, typer.Option("--preset", metavar="NAME", help="a preset's name or id (its platforms)")
]


def platforms_of(to: str | None) -> list[str] | None:
    names = [name.strip() for name in (to or "").split(",") if name.strip()]
    return names or None


def segments_of(thread: list[str] | None) -> list[dict[str, Any]] | None:
    return [{"content": text} for text in thread] if thread else None


def schedule_of(at: str | None, tz: str | None, next_slot: bool) -> str | None:
    if at and next_slot:
        raise CliError("--at and --next-slot: give one of them")
    if tz and not at:
        raise CliError("--tz goes with --at")
    if next_slot:
        return NEXT_FREE_SLOT
    return when.scheduled_instant(at, tz) if at else None


def images_of(api: Api, images: list[str] | None, alts: list[str] | None, upload: bool) -> dict[str, Any] | None:
    """The media object: each --image with the --alt at the same position. Local files are uploaded through
    POST /v1/media when ``upload`` (validation does not store anything, so it takes URLs only)."""
    images, alts = images or [], alts or []
    if len(alts) > len(images):
        raise CliError(f"{len(alts)} --alt for {len(images)} --image: each --alt describes the --image before it")
    entries = []
    for index, image in enumerate(images):
        url = image if image.startswith(("https://", "http://")) else _uploaded(api, Path(image), upload)
        entry: dict[str, Any] = {"url": url}
        if index < len(alts):
            entry["alt_text"] = alts[index]
        entries.append(entry)
    return {"images": entries} if entries else None


def _uploaded(api: Api, path: Path, upload: bool) -> str:
    if not upload:
        raise CliError(f"--image {path}: validate takes image URLs only (it stores nothing, so uploads nothing)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"--image {path}: {exc.strerror or exc}") from None
    uploaded = api.call("POST", "/v1/media", files={"file": (path.name, data)})
    return str(uploaded["url"])


def preset_id_of(api: Api, preset: str | None) -> str | None:
    """A preset by its id, or by its name (looked up in GET /v1/presets)."""
    if not preset:
        return None
    presets = api.get("/v1/presets")["presets"]
    for found in presets:
        if preset in (found["id"], found["name"]):
            return str(found["id"])
    names = ", ".join(p["name"] for p in presets) or "none"
    raise CliError(f"no preset named {preset!r} (presets: {names})")


def post_body(
    api: Api,
    text: str,
    *,
    to: str | None,
    thread: list[str] | None,
    images: list[str] | None,
    alts: list[str] | None,
    preset: str | None,
    scheduled_for: str | None,
    upload: bool,
) -> dict[str, Any]:
    platforms = platforms_of(to)
    preset_id = preset_id_of(api, preset)
    if platforms is None and preset_id is None:
        raise CliError("where to? give --to PLATFORM[,PLATFORM…] or --preset NAME")
    body: dict[str, Any] = {"content": text}
    optional = {
        "platforms": platforms,
        "preset_id": preset_id,
        "segments": segments_of(thread),
        "media": images_of(api, images, alts, upload),
        "scheduled_for": scheduled_for,
    }
    body.update({name: value for name, value in optional.items() if value is not None})
    return body
