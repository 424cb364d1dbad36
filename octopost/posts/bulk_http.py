"""The edge of bulk import: the body by its Content-Type, and its description in the OpenAPI document (the
handler reads the raw body, so Litestar cannot describe it by itself)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType as MediaType
from litestar.openapi.spec import OpenAPIType, Reference, RequestBody, Schema
from litestar.openapi.spec.operation import Operation

from octopost.errors import UnsupportedMediaType
from octopost.posts.bulk_rows import CSV_COLUMNS, Row, csv_rows, json_rows

BULK_MAX_BODY_BYTES = 32 * 1024 * 1024  # 10,000 rows of long posts fit; more is 413
CSV_TYPE = "text/csv"
JSON_TYPE = "application/json"


def media_type_of(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def read_rows(content_type: str, body: bytes, max_rows: int) -> Iterator[Row]:
    kind = media_type_of(content_type)
    if kind == CSV_TYPE:
        return csv_rows(body, max_rows)
    if kind == JSON_TYPE or kind.endswith("+json"):
        return json_rows(body, max_rows)
    raise UnsupportedMediaType(
        f"Bulk import takes application/json or text/csv, got {kind or 'no Content-Type'}", {"content_type": kind}
    )


@dataclass
class BulkOperation(Operation):
    def __post_init__(self) -> None:
        columns = ", ".join(sorted(CSV_COLUMNS))
        self.request_body = RequestBody(
            required=True,
            description=f"A JSON array of create bodies (as POST /v1/posts), or a CSV with a header row ({columns}).",
            content={
                JSON_TYPE: MediaType(
                    schema=Schema(type=OpenAPIType.ARRAY, items=Reference(ref="#/components/schemas/PostCreate"))
                ),
                CSV_TYPE: MediaType(schema=Schema(type=OpenAPIType.STRING)),
            },
        )
