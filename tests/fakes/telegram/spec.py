"""The Bot API as the fake knows it: ../shared/specs/telegram-bot-api.json (Bot API 10.1), read when the fake starts,
never copied into the project. Every method, its parameters (types, required), every object type (its fields, or
its subtypes), and the limits the documentation states in words, parsed from each description:

- ``1-4096 characters`` / ``0-64 bytes`` on a String: its length in UTF-16 code units (Telegram's count) or bytes;
- ``list of 1-12 …`` / ``must include 2-10 items`` on an Array: how many items;
- ``…, 5-2628000.`` / ``…; 0-1500`` on an Integer or Float: its range;
- ``…, must be photo`` / ``"quiz" or "regular"`` on a String: the values it may take.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.peers.prism import SPECS

SPEC_NAME = "telegram-bot-api.json"
SPEC_PATH = SPECS / SPEC_NAME

_LENGTH = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b")
_COUNT = re.compile(r"(?:list of|include) (\d+)-(\d+)\b")
_BOUNDS = re.compile(r"(?:^|[,;] )(\d+)-(\d+)(?=\.|$| )")
_MUST_BE = re.compile(r", must be ([a-z_]+)$")
_EITHER = re.compile(r"\"(\w+)\" or \"(\w+)\"")


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]  # alternatives, as the spec spells them: "Integer", "Array of InputPollOption"
    required: bool
    length: tuple[int, int, str] | None = None  # (min, max, "characters" | "bytes"), a String's
    count: tuple[int, int] | None = None  # an Array's items
    bounds: tuple[int, int] | None = None  # an Integer's or Float's value
    choices: frozenset[str] | None = None  # a String's values


@dataclass(frozen=True)
class Shape:
    """An object type: its fields, or (a union such as InputMedia) the types it may be."""

    name: str
    fields: dict[str, Field]
    subtypes: tuple[str, ...] = ()


class BotApiSpec:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw["version"]
        self.methods = {name: _fields(method.get("fields", [])) for name, method in raw["methods"].items()}
        self.types = {
            name: Shape(name, _fields(kind.get("fields", [])), tuple(kind.get("subtypes", [])))
            for name, kind in raw["types"].items()
        }
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> BotApiSpec:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is absent: the Telegram fake checks every request against it")
        return cls(json.loads(path.read_text()))

    def method(self, name: str) -> str | None:
        """The method's own spelling (the Bot API's method names are case-insensitive), None when there is none."""
        return self._by_lower.get(name.lower())


def _fields(raw: list[dict[str, Any]]) -> dict[str, Field]:
    return {item["name"]: _field(item) for item in raw}


def _field(raw: dict[str, Any]) -> Field:
    types, text = tuple(raw["types"]), raw.get("description", "")
    kinds = {t.removeprefix("Array of ") for t in types}
    length = _LENGTH.search(text) if "String" in types else None
    count = _COUNT.search(text) if any(t.startswith("Array of ") for t in types) else None
    bounds = _BOUNDS.search(text) if kinds & {"Integer", "Float"} else None
    choices = None
    if types == ("String",):
        must, either = _MUST_BE.search(text), _EITHER.search(text)
        choices = frozenset([must.group(1)]) if must else frozenset(either.groups()) if either else None
    return Field(
        raw["name"],
        types,
        bool(raw.get("required")),
        length=(int(length[1]), int(length[2]), length[3]) if length else None,
        count=(int(count[1]), int(count[2])) if count else None,
        bounds=(int(bounds[1]), int(bounds[2])) if bounds else None,
        choices=choices,
    )
