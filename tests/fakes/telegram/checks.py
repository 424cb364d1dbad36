"""A method call's parameters against the Bot API spec (spec.py): every parameter known, the required ones present,
each value of one of its types (objects field by field, unions by their ``type``), within the limits the
documentation states, lengths in UTF-16 code units. The first problem is what Telegram's 400 describes.

Values arrive as JSON (a JSON body: typed as they are) or as text (a form, a multipart body or a query string: numbers
and booleans spelled out, objects and arrays JSON-serialized, as the Bot API's "Making requests" says). A file part
of a multipart body is an InputFile: under the parameter's own name, or under any name an ``attach://<name>`` names.
Stricter than Telegram on purpose, which ignores what it does not know: an unknown parameter or object field is
refused, and so is a file part nothing refers to, so a misspelt name fails a test.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tests.fakes.telegram.spec import BotApiSpec, Field

ATTACH = "attach://"
_SCALARS = {"Integer", "Float", "String", "Boolean", "True", "InputFile"}
_ALONE_IN_ALBUMS = {"audio", "document"}  # "can be only grouped in an album with messages of the same type"


class Invalid(ValueError):
    """One problem with the call, worded for the description of Telegram's 400."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_call(
    spec: BotApiSpec, method: str, params: Mapping[str, Any], files: Mapping[str, bytes], *, as_text: bool
) -> dict[str, Any]:
    """``params`` decoded by their types (raises Invalid at the first problem). ``files``: the multipart file parts
    by name; ``as_text``: the values came as text, not JSON."""
    fields = spec.methods[method]
    unknown = sorted(set(params) - set(fields))
    if unknown:
        raise Invalid(f"unknown parameter {unknown[0]!r} for {method}")
    checker = _Checker(spec, files)
    decoded: dict[str, Any] = {}
    for name, field in fields.items():
        if name in params:
            decoded[name] = checker.value(field, params[name], name, as_text=as_text)
        elif name in files and "InputFile" in field.types:
            decoded[name] = checker.use_file(name)
        elif field.required:
            raise Invalid(f"parameter {name!r} is required")
    unused = sorted(set(files) - checker.used)
    if unused:
        raise Invalid(f"file part {unused[0]!r} is not referred to by any parameter")
    return decoded


class _Checker:
    def __init__(self, spec: BotApiSpec, files: Mapping[str, bytes]) -> None:
        self.spec, self.files = spec, files
        self.used: set[str] = set()

    def use_file(self, name: str) -> dict[str, Any]:
        self.used.add(name)
        return {"file": name, "size": len(self.files[name])}

    def value(self, field: Field, value: Any, where: str, *, as_text: bool) -> Any:
        problems = []
        arrays = [t.removeprefix("Array of ") for t in field.types if t.startswith("Array of ")]
        if len(arrays) > 1:  # sendMediaGroup: an album of any one of these kinds (photos and videos mix)
            return self._album(field, arrays, value, where, as_text=as_text)
        for kind in field.types:
            try:
                return self._typed(field, kind, value, where, as_text=as_text)
            except Invalid as problem:
                problems.append(problem)
        raise problems[0] if len(problems) == 1 else Invalid(f"{where} is not {' or '.join(field.types)}")

    def _typed(self, field: Field, kind: str, value: Any, where: str, *, as_text: bool) -> Any:
        if kind.startswith("Array of "):
            items = self._decoded(value, list, where, as_text=as_text)
            _within(field.count, len(items), f"{where} must have", "items")
            item = Field(where, (kind.removeprefix("Array of "),), True)
            return [self.value(item, v, f"{where}[{n}]", as_text=False) for n, v in enumerate(items)]
        if kind in _SCALARS:
            return self._scalar(field, kind, value, where, as_text=as_text)
        return self._object(kind, self._decoded(value, dict, where, as_text=as_text), where)

    def _scalar(self, field: Field, kind: str, value: Any, where: str, *, as_text: bool) -> Any:
        if kind == "InputFile":
            raise Invalid(f"{where} must be uploaded as a file part")
        if kind == "String":
            if not isinstance(value, str):
                raise Invalid(f"{where} must be a String")
            if field.length is not None:
                low, high, unit = field.length
                size = utf16_length(value) if unit == "characters" else len(value.encode())
                _within((low, high), size, f"{where} must be", unit)
            if field.choices is not None and value not in field.choices:
                raise Invalid(f"{where} must be one of {sorted(field.choices)}, not {value!r}")
            if value.startswith(ATTACH):
                name = value.removeprefix(ATTACH)
                if name not in self.files:
                    raise Invalid(f"{where} refers to {value!r}, but no file part is called {name!r}")
                self.used.add(name)
            return value
        if kind in ("Boolean", "True"):
            if as_text and isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"
            if not isinstance(value, bool) or (kind == "True" and value is not True):
                raise Invalid(f"{where} must be a Boolean")
            return value
        number = _number(value, kind, as_text=as_text)
        if number is None:
            raise Invalid(f"{where} must be {'an Integer' if kind == 'Integer' else 'a Float'}")
        _within(field.bounds, number, f"{where} must be", "")
        return number

    def _object(self, kind: str, value: dict[str, Any], where: str) -> dict[str, Any]:
        shape = self.spec.types.get(kind)
        if shape is None:
            raise Invalid(f"{where}: the spec has no type {kind}")
        if shape.subtypes:
            return self._object(self._subtype(shape.subtypes, value, where), value, where)
        unknown = sorted(set(value) - set(shape.fields))
        if unknown:
            raise Invalid(f"{where} has an unknown field {unknown[0]!r} ({kind})")
        for name, field in shape.fields.items():
            if name in value:
                value[name] = self.value(field, value[name], f"{where}.{name}", as_text=False)
            elif field.required:
                raise Invalid(f"{where}.{name} is required ({kind})")
        return value

    def _subtype(self, subtypes: tuple[str, ...], value: dict[str, Any], where: str) -> str:
        """The one of ``subtypes`` whose ``type`` the value names (InputMedia: "photo" is InputMediaPhoto)."""
        for name in subtypes:
            tag = self.spec.types[name].fields.get("type")
            if tag is not None and tag.choices and value.get("type") in tag.choices:
                return name
        raise Invalid(f"{where}.type {value.get('type')!r} is none of {', '.join(subtypes)}")

    def _album(self, field: Field, kinds: list[str], value: Any, where: str, *, as_text: bool) -> list[Any]:
        items = self._decoded(value, list, where, as_text=as_text)
        _within(field.count, len(items), f"{where} must have", "items")
        checked = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise Invalid(f"{where}[{n}] must be an object")
            checked.append(self._object(self._subtype(tuple(kinds), item, f"{where}[{n}]"), item, f"{where}[{n}]"))
        types = {item["type"] for item in checked}
        if types & _ALONE_IN_ALBUMS and len(types) > 1:
            raise Invalid(f"{where}: documents and audio files can only be grouped with items of their own type")
        return checked

    @staticmethod
    def _decoded(value: Any, kind: type, where: str, *, as_text: bool) -> Any:
        if as_text and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise Invalid(f"{where} must be JSON-serialized") from None
        if not isinstance(value, kind):
            raise Invalid(f"{where} must be {'an Array' if kind is list else 'an object'}")
        return value


def _number(value: Any, kind: str, *, as_text: bool) -> int | float | None:
    if as_text and isinstance(value, str):
        try:
            return int(value) if kind == "Integer" else float(value)
        except ValueError:
            return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (kind == "Float" and isinstance(value, float)):
        return value
    return None


def _within(bounds: tuple[int, int] | None, value: float, what: str, unit: str) -> None:
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        counted = " (UTF-16 code units)" if unit == "characters" else ""
        raise Invalid(f"{what} {bounds[0]}-{bounds[1]} {unit}{counted}, not {value}".replace("  ", " "))
