"""Tools' JSON Schemas from the msgspec structs the REST API decodes and answers with, so both describe one shape."""

from __future__ import annotations

from typing import Any

import msgspec

_REF_TEMPLATE = "#/$defs/{name}"


def object_schema(struct: type[msgspec.Struct]) -> dict[str, Any]:
    """``struct``'s schema with its own object at the root (MCP wants ``"type": "object"`` there, not a $ref).
    Every definition stays under $defs, the root's too, so a $ref anywhere still resolves."""
    (root,), definitions = msgspec.json.schema_components([struct], ref_template=_REF_TEMPLATE)
    name = root["$ref"].rsplit("/", 1)[-1]
    return {**definitions[name], "$defs": definitions}
