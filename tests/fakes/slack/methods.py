"""Slack's method descriptions (../shared/specs/slack-methods/*.json, MIT, scraped from Slack's docs: each
method's arguments with their types and required flags, its documented errors, the bot scopes it needs), read at
runtime, never copied into the project; plus the error enums of Slack's 2021 OpenAPI document for the methods it has.

``arguments`` checks a call's arguments against its method the way Slack answers: an unknown argument is
``invalid_arg_name``, a missing required one or a value of the wrong type ``invalid_arguments`` (with
``response_metadata.messages``). ``fail`` answers an error, and refuses (AssertionError) to answer one that Slack does
not document for that method: the fake cannot invent error codes.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.fakes.http import Response

SHARED = Path(__file__).resolve().parents[4] / "shared" / "specs"
METHODS_DIR = SHARED / "slack-methods"
OPENAPI = SHARED / "slack-web.openapi-v2.json"
# Slack's "common errors", documented once for every method (the scraped descriptions list only each method's own).
COMMON_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "missing_scope",
        "invalid_arg_name",
        "invalid_arguments",
        "invalid_form_data",
        "ratelimited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    }
)
_BOOLEANS = frozenset({"true", "false", "1", "0"})


def methods_present() -> bool:
    return METHODS_DIR.is_dir() and any(METHODS_DIR.glob("*.json"))


@functools.cache
def method(name: str) -> dict[str, Any]:
    """One method's description; FileNotFoundError when ../shared is not there."""
    return dict(json.loads((METHODS_DIR / f"{name}.json").read_text()))


@functools.cache
def documented_errors(name: str) -> frozenset[str]:
    errors = set(method(name)["errors"]) | COMMON_ERRORS
    if OPENAPI.is_file():
        for operation in json.loads(OPENAPI.read_text())["paths"].get(f"/{name}", {}).values():
            enum = operation.get("responses", {}).get("default", {}).get("schema", {}).get("properties", {})
            errors |= set(enum.get("error", {}).get("enum", []))
    return frozenset(errors)


def bot_scopes(name: str) -> frozenset[str]:
    """The bot scopes of which the method needs one (empty: none, as auth.test)."""
    return frozenset(scope["name"] for scope in method(name).get("scopes", {}).get("bot", []))


def fail(name: str, code: str, status: int = 200, **extra: Any) -> Response:
    assert code in documented_errors(name), f"the fake answered {name} with {code!r}, which Slack does not document"
    return Response(status, {"ok": False, "error": code, **extra})


def arguments(name: str, given: dict[str, str]) -> Response | None:
    """None when ``given`` fits the method's arguments, else Slack's refusal."""
    spec = method(name)["args"]
    unknown = sorted(set(given) - set(spec))
    if unknown:
        return fail(
            name, "invalid_arg_name", response_metadata={"messages": [f"[ERROR] unknown argument: {unknown[0]}"]}
        )
    for arg, description in spec.items():
        value = given.get(arg)
        if value is None or value == "":
            if description.get("required"):
                return _invalid(name, f"missing required field: {arg}")
            continue
        kind = description.get("type")
        if kind == "boolean" and value.lower() not in _BOOLEANS:
            return _invalid(name, f"{arg} must be a boolean")
        if kind == "integer" and not value.isdigit():
            return _invalid(name, f"{arg} must be an integer")
        if kind == "array" and not _is_json_list(value):
            return _invalid(name, f"{arg} must be a JSON array")
    return None


def truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("true", "1")


def _invalid(name: str, message: str) -> Response:
    return fail(name, "invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]})


def _is_json_list(value: str) -> bool:
    try:
        return isinstance(json.loads(value), list)
    except ValueError:
        return False
