"""CSV rows of POST /v1/posts/bulk as create bodies (dicts msgspec converts into PostCreate).

Columns: content, platforms (a|b), scheduled_for, image_urls (a|b), alt_texts (matched to image_urls by position),
segments (a JSON array of segment objects, or of strings meaning {"content": s}), preset_id, next_free_slot.
Empty cells mean "not given".
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any

from octopost.errors import ValidationFailed

COLUMNS = (
    "content",
    "platforms",
    "scheduled_for",
    "image_urls",
    "alt_texts",
    "segments",
    "preset_id",
    "next_free_slot",
)
REQUIRED = ("content",)  # platforms may come from a preset_id column, or the default preset
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def text_of(body: bytes) -> str:
    """The body's text (non-UTF-8 is a 422)."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.of([f"body: the CSV is not UTF-8 ({exc.reason} at byte {exc.start})"]) from None


def check_header(header: list[str] | None) -> list[str]:
    if header is None:
        raise ValidationFailed.of(["body: the CSV is empty; its first row names the columns"])
    names = [name.strip() for name in header]
    problems = [f"header: unknown column {name!r}" for name in names if name not in COLUMNS]
    problems += [f"header: missing column {name!r}" for name in REQUIRED if name not in names]
    if problems:
        raise ValidationFailed.of(problems)
    return names


def row_body(names: list[str], cells: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The create body one CSV row describes, and the problems of its cells (a cell count that is off is one)."""
    problems: list[str] = []
    if len(cells) != len(names):
        problems.append(f"the row has {len(cells)} cells, the header {len(names)}")
    row = dict(zip(names, cells, strict=False))
    body: dict[str, Any] = {"content": row.get("content", "")}
    if _split(row.get("platforms")):
        body["platforms"] = _split(row.get("platforms"))
    if row.get("scheduled_for"):
        body["scheduled_for"] = row["scheduled_for"]
    flag = (row.get("next_free_slot") or "").strip().lower()
    if flag in _TRUE:
        body["scheduled_for"] = "next_free_slot"
    elif flag not in _FALSE:
        problems.append(f"next_free_slot: {flag!r} is not true/false/1/0/yes/no")
    urls, alts = _split(row.get("image_urls")), _split(row.get("alt_texts"))
    if len(alts) > len(urls):
        problems.append(f"alt_texts: {len(alts)} alt texts for {len(urls)} image_urls")
    if urls:
        images = [{"url": url, "alt_text": alts[i] if i < len(alts) else None} for i, url in enumerate(urls)]
        body["media"] = {"images": images}
    if row.get("segments"):
        body["segments"] = _segments(row["segments"], problems)
    if row.get("preset_id"):
        body["preset_id"] = row["preset_id"]
    return body, problems


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def _segments(cell: str, problems: list[str]) -> list[Any] | None:
    try:
        value = json.loads(cell)
    except ValueError:
        problems.append("segments: not a JSON array")
        return None
    if not isinstance(value, list):
        problems.append("segments: not a JSON array")
        return None
    return [{"content": s} if isinstance(s, str) else s for s in value]


def reader(lines: Iterable[str]) -> Any:  # a csv reader (its line_num names where parsing stopped)
    """csv rows, strict: an unbalanced quote is an error, not a swallowed rest of the file."""
    return csv.reader(lines, strict=True)
