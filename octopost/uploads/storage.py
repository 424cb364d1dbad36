"""Where upload bytes live: data_dir/media/<id>, a path made from the generated id only. A body is streamed to a
temp file beside it (its size cap enforced while reading) and moved into place once it is accepted."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import anyio

from octopost.uploads.sniff import HEAD_BYTES, Sniffed, describe, sniff


class Unacceptable(Exception):
    """The body is no image or video we take, or too large; the message says which."""


def media_dir(data_dir: Path) -> Path:
    return data_dir / "media"


def stored_path(data_dir: Path, media_id: str) -> Path:
    return media_dir(data_dir) / media_id


async def receive(
    chunks: AsyncIterator[bytes], data_dir: Path, caps: dict[str, int]
) -> tuple[Path, Sniffed, int]:
    """The body in a temp file, what it is and its size; Unacceptable (temp file gone) otherwise."""
    folder = media_dir(data_dir) / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / secrets.token_hex(16)
    head = b""
    sniffed: Sniffed | None = None
    size = 0
    try:
        async with await anyio.open_file(temp, "wb") as handle:
            async for chunk in chunks:
                size += len(chunk)
                if sniffed is None:
                    head += chunk[:HEAD_BYTES]
                    if len(head) >= HEAD_BYTES:
                        sniffed = _accepted(head)
                if sniffed is not None and size > caps[sniffed.kind]:
                    raise Unacceptable(f"the {sniffed.kind} is over the {caps[sniffed.kind]}-byte cap")
                await handle.write(chunk)
        sniffed = sniffed or _accepted(head)
        if size > caps[sniffed.kind]:
            raise Unacceptable(f"the {sniffed.kind} is over the {caps[sniffed.kind]}-byte cap")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, sniffed, size


def _accepted(head: bytes) -> Sniffed:
    found = sniff(head)
    if found is None:
        wanted = "an image (JPEG, PNG, GIF, WebP) or a video (MP4, MOV, WebM)"
        raise Unacceptable(f"the file is {describe(head)}, not {wanted}")
    return found


def move_into_place(temp: Path, data_dir: Path, media_id: str) -> None:
    os.replace(temp, stored_path(data_dir, media_id))


def remove(data_dir: Path, media_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        stored_path(data_dir, media_id).unlink()
