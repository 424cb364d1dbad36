"""Google's own description of the YouTube Data API v3: the discovery document inside the google-api-python-client
wheel (Apache-2.0), extracted once into ~/.cache/octopost/youtube.v3.json (``python -m tests.fakes.youtube.discovery``,
run by scripts/install-peers.sh; the wheel comes from the package registry through pip). The fake checks every
request's query parameters against the method's and every JSON body against the method's request schema: the
types, the enums, and no field the schema does not have."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

WHEEL = "google-api-python-client==2.202.0"
MEMBER = "googleapiclient/discovery_cache/documents/youtube.v3.json"
CACHED = Path(os.environ.get("OCTOPOST_PEER_CACHE") or Path.home() / ".cache" / "octopost") / "youtube.v3.json"


def present() -> bool:
    return CACHED.is_file()


def extract() -> Path:
    """Download the pinned wheel (no dependencies) and keep only the YouTube discovery document from it."""
    if present():
        return CACHED
    with tempfile.TemporaryDirectory() as work:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", work]
        subprocess.run(command, check=True)
        (wheel,) = Path(work).glob("google_api_python_client-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read(MEMBER)
    CACHED.parent.mkdir(parents=True, exist_ok=True)
    CACHED.write_bytes(data)
    return CACHED


@cache
def document() -> dict[str, Any]:
    return json.loads(CACHED.read_text())


def method(resource: str, name: str) -> dict[str, Any]:
    return document()["resources"][resource]["methods"][name]


def scopes(resource: str, name: str) -> frozenset[str]:
    """The OAuth scopes Google lists for the method: a token needs one of them."""
    return frozenset(method(resource, name).get("scopes", ()))


def query_problems(resource: str, name: str, query: dict[str, list[str]]) -> list[str]:
    """Parameters the method does not take (beyond Google's standard ones), and required ones missing."""
    spec = method(resource, name)
    known = set(spec.get("parameters", {})) | set(document().get("parameters", {}))
    found = [f"unknown parameter {key!r}" for key in query if key not in known and not key.startswith("_")]
    for key, parameter in spec.get("parameters", {}).items():
        if parameter.get("required") and key not in query:
            found.append(f"required parameter {key!r} is missing")
        values = parameter.get("enum")
        if values and key in query and query[key][0] not in values:
            found.append(f"parameter {key!r} is {query[key][0]!r}; one of {values}")
    return found


def body_problems(resource: str, name: str, body: Any) -> list[str]:
    ref = method(resource, name).get("request", {}).get("$ref")
    return _problems({"$ref": ref}, body, "body") if ref else []


def _problems(schema: dict[str, Any], value: Any, where: str) -> list[str]:
    if "$ref" in schema:
        schema = document()["schemas"][schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{where} is not an object"]
        properties = schema.get("properties", {})
        found = []
        for key, item in value.items():
            if key not in properties:
                found.append(f"{where}.{key} is not a field of {schema.get('id', 'the object')}")
            else:
                found += _problems(properties[key], item, f"{where}.{key}")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where} is not an array"]
        return [p for i, item in enumerate(value) for p in _problems(schema["items"], item, f"{where}[{i}]")]
    checks = {"string": str, "boolean": bool}
    if kind in checks and not isinstance(value, checks[kind]):
        return [f"{where} is not a {kind}"]
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int | str)):
        return [f"{where} is not an integer"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where} is {value!r}; one of {schema['enum']}"]
    return []


if __name__ == "__main__":
    print(extract())
