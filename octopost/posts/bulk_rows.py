"""Bulk import's input: a JSON array of create bodies, or a CSV with a header row, read row by row into
PostCreate (a row that does not convert is that row's error; a body that cannot be read at all is a 422)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import msgspec

from octopost.errors import ValidationFailed
from octopost.posts.schemas import PostCreate
from octopost.queue.claims import NEXT_FREE_SLOT

CSV_COLUMNS = frozenset(
    {"content", "platforms", "scheduled_for", "image_urls", "alt_texts", "segments", "preset_id", "next_free_slot"}
)
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no", ""})

# One row: its 1-based number, and the create body or what is wrong with it.
Row = tuple[int, PostCreate | list[str]]


def _refuse(problem: str) -> ValidationFailed:
    return ValidationFailed.of([problem], f"The bulk body cannot be read: {problem}")


def _too_many(max_rows: int) -> ValidationFailed:
    return _refuse(f"more than {max_rows} rows; split the import")


def json_rows(body: bytes, max_rows: int) -> Iterator[Row]:
    try:
        items = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise _refuse(f"not valid JSON: {exc}") from exc
    if not isinstance(items, list):
        raise _refuse("a JSON body must be an array of posts")
    if len(items) > max_rows:
        raise _too_many(max_rows)
    for number, item in enumerate(items, start=1):
        yield number, _convert(item)


def csv_rows(body: bytes, max_rows: int) -> Iterator[Row]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(f"not UTF-8 (byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in CSV_COLUMNS]
        if unknown:
            raise _refuse(f"unknown CSV columns: {', '.join(unknown)} (known: {', '.join(sorted(CSV_COLUMNS))})")
        if "content" not in header:
            raise _refuse("the CSV header has no content column")
        for number, record in enumerate(reader, start=1):
            if number > max_rows:
                raise _too_many(max_rows)
            if None in record:  # more fields than the header names
                yield number, [f"row has {len(header) + len(record[None])} fields, the header {len(header)}"]
                continue
            yield number, _csv_row(record)
    except csv.Error as exc:
        raise _refuse(f"malformed CSV at line {reader.line_num}: {exc}") from exc


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in value.split("|")] if value else []


def _csv_row(record: dict[str, Any]) -> PostCreate | list[str]:
    problems: list[str] = []
    body: dict[str, Any] = {"content": record.get("content") or ""}
    if platforms := _split(record.get("platforms")):
        body["platforms"] = platforms
    if record.get("preset_id"):
        body["preset_id"] = record["preset_id"]
    scheduled_for = record.get("scheduled_for") or None
    flag = (record.get("next_free_slot") or "").strip().lower()
    if flag in _TRUE:
        if scheduled_for:
            problems.append("next_free_slot: give scheduled_for or next_free_slot, not both")
        scheduled_for = NEXT_FREE_SLOT
    elif flag not in _FALSE:
        problems.append(f"next_free_slot: {flag!r} is not true/false/1/0/yes/no")
    body["scheduled_for"] = scheduled_for
    urls, alts = _split(record.get("image_urls")), _split(record.get("alt_texts"))
    if len(alts) > len(urls):
        problems.append(f"alt_texts: {len(alts)} alt texts for {len(urls)} images")
    if urls:
        images = [{"url": u, "alt_text": (alts[i] or None) if i < len(alts) else None} for i, u in enumerate(urls)]
        body["media"] = {"images": images}
    if record.get("segments"):
        try:
            body["segments"] = json.loads(record["segments"])
        except ValueError as exc:
            problems.append(f"segments: not a JSON array ({exc})")
    return problems or _convert(body)


def _convert(item: Any) -> PostCreate | list[str]:
    try:
        return msgspec.convert(item, PostCreate)
    except msgspec.ValidationError as exc:
        return [str(exc)]
