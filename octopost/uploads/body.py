"""The bytes of an upload as they arrive: the ``file`` field of a multipart form (parsed as it streams in), or the
raw body. Neither is ever held whole in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from octopost.errors import BadRequest, ValidationFailed

FILE_FIELD = "file"


def boundary_of(content_type: str) -> str | None:
    kind, options = parse_options_header(content_type)
    return options.get("boundary") if kind.lower() == "multipart/form-data" else None


async def file_field(stream: AsyncIterator[bytes], boundary: str) -> AsyncIterator[bytes]:
    """The bytes of the form's ``file`` field; the other fields are skipped."""
    found = False
    in_file = False
    try:
        with PushMultipartParser(boundary, max_segment_count=16) as parser:
            async for chunk in stream:
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        in_file = event.name == FILE_FIELD and not found
                        found = found or in_file
                    elif event is None:
                        in_file = False
                    elif in_file:
                        yield event
                if parser.closed:
                    break
            for event in parser.parse(b""):
                if in_file and isinstance(event, bytes | bytearray):
                    yield bytes(event)
    except MultipartError as exc:
        raise BadRequest(f"Malformed multipart body: {exc}") from None
    if not found:
        raise ValidationFailed.of([f"{FILE_FIELD}: the form has no '{FILE_FIELD}' field"])
