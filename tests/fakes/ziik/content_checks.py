"""What the fake Ziik checks of a ``POST /content`` body, as Ziik's docs and the seed describe it: known
fields only (at every level), the title required and within 255, the body within 65,535 bytes, a group or an owner
unit (never both; the group one the user is in), visibility ids that exist, Unix-second times (a value that looks
like milliseconds refused), future poll closings and pins, and the shapes of publish, comments, confirm, pinned and
poll. It also holds the units and groups the fake knows: ``HOME_UNIT`` and ``SECOND_UNIT`` (the user's),
``GROUP_ID`` (a member), ``FOREIGN_GROUP_ID`` (not a member: 403), any other group 404."""

from __future__ import annotations

from typing import Any

UNITS = frozenset({1, 2, 3, 4, 9})
USER_TYPES = frozenset({1, 2, 3})
GROUP_ID, FOREIGN_GROUP_ID = 543, 544
HOME_UNIT, SECOND_UNIT = 1, 2  # the user's units
MAX_TITLE = 255
MAX_BODY_BYTES = 65_535
_MILLISECONDS = 10_000_000_000  # a Unix time in seconds stays below this until 2286

_CONTENT_FIELDS = {
    "title",
    "body",
    "group",
    "owner_unit",
    "visibility",
    "sharing",
    "comments",
    "confirm",
    "show_in_feed",
    "publish",
    "important",
    "poll",
    "pinned",
    "event",
    "fileCount",
}
_POLL_FIELDS = {"question", "type", "close_at", "allow_user_choices", "anonymous", "mandatory", "choices"}


class Invalid(Exception):
    """A 422: ``field`` and what is wrong with it."""

    def __init__(self, field_name: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field_name, message, status


def check_content(body: dict[str, Any], now: float) -> None:
    _known(body, _CONTENT_FIELDS, "")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Invalid("title", "The title field is required.")
    if len(title) > MAX_TITLE:
        raise Invalid("title", f"The title may not be greater than {MAX_TITLE} characters.")
    text = body.get("body")
    if text is not None and not isinstance(text, str):
        raise Invalid("body", "The body must be a string.")
    if text and len(text.encode()) > MAX_BODY_BYTES:
        raise Invalid("body", f"The body may not be greater than {MAX_BODY_BYTES} bytes.")
    group, unit = _optional_id(body, "group"), _optional_id(body, "owner_unit")
    if group is not None and unit is not None:
        raise Invalid("group", "A content item goes to a group or is written from a unit, not both.")
    if group is not None and group != GROUP_ID:
        if group == FOREIGN_GROUP_ID:
            raise Invalid("group", "You are not a member of this group.", status=403)
        raise Invalid("group", "The group could not be found.", status=404)
    if unit is not None and unit not in (HOME_UNIT, SECOND_UNIT):
        raise Invalid("owner_unit", "You cannot write from this unit.")
    for name in ("show_in_feed", "important"):
        if name in body and not isinstance(body[name], bool):
            raise Invalid(name, f"The {name} field must be true or false.")
    for name in ("comments", "confirm"):
        if name in body:
            _flags(body[name], name, {"enabled"})
    _check_visibility(body.get("visibility"))
    _check_publish(body.get("publish"))
    _check_poll(body.get("poll"), now)
    if "pinned" in body:
        pinned = _flags(body["pinned"], "pinned", {"show_in_main_feed"}, {"until"})
        if "until" in pinned and _seconds(pinned["until"], "pinned.until") <= now:
            raise Invalid("pinned.until", "The pin must end in the future.")
    if "event" in body:
        raise Invalid("event", "The fake does not model events.")
    count = body.get("fileCount")
    if count is not None and (type(count) is not int or count < 0):
        raise Invalid("fileCount", "The fileCount must be a whole number of files.")


def _check_visibility(visibility: Any) -> None:
    if visibility is None:
        return
    _known(visibility, {"all_units", "units", "units_falldown", "userTypes"}, "visibility.")
    if "all_units" in visibility and not isinstance(visibility["all_units"], bool):
        raise Invalid("visibility.all_units", "The all_units field must be true or false.")
    for name, known in (("units", UNITS), ("units_falldown", UNITS), ("userTypes", USER_TYPES)):
        ids = visibility.get(name, [])
        if not isinstance(ids, list) or any(type(i) is not int or i not in known for i in ids):
            raise Invalid(f"visibility.{name}", f"visibility.{name} must list known ids.")


def _check_publish(publish: Any) -> None:
    if publish is None:
        return
    found = _flags(publish, "publish", {"status"}, {"publish_on", "unpublish_on"})
    start, end = found.get("publish_on"), found.get("unpublish_on")
    if start is not None and end is not None and _seconds(end, "publish.unpublish_on") <= _seconds(start, ""):
        raise Invalid("publish.unpublish_on", "The content must be unpublished after it is published.")


def _check_poll(poll: Any, now: float) -> None:
    if poll is None:
        return
    _known(poll, _POLL_FIELDS, "poll.")
    question = poll.get("question")
    if not isinstance(question, str) or not question.strip() or len(question) > MAX_TITLE:
        raise Invalid("poll.question", f"The poll needs a question of at most {MAX_TITLE} characters.")
    if "type" in poll and not isinstance(poll["type"], str):
        raise Invalid("poll.type", "The poll type must be a string.")
    for name in ("allow_user_choices", "anonymous", "mandatory"):
        if name in poll and not isinstance(poll[name], bool):
            raise Invalid(f"poll.{name}", f"poll.{name} must be true or false.")
    if _seconds(poll.get("close_at"), "poll.close_at") <= now:
        raise Invalid("poll.close_at", "The poll must close in the future.")
    choices = poll.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        raise Invalid("poll.choices", "The poll needs at least two choices.")
    titles = []
    for n, choice in enumerate(choices):
        if not isinstance(choice, dict) or set(choice) != {"title"}:
            raise Invalid(f"poll.choices.{n}", 'A choice is {"title": ...}.')
        title = choice["title"]
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            raise Invalid(f"poll.choices.{n}.title", f"A choice's title is 1 to {MAX_TITLE} characters.")
        titles.append(title.strip().casefold())
    if len(set(titles)) < len(titles):
        raise Invalid("poll.choices", "The choices must be different.")


def _known(value: Any, fields: set[str], prefix: str) -> None:
    if not isinstance(value, dict):
        raise Invalid(prefix.rstrip(".") or "body", "must be an object")
    unknown = sorted(set(value) - fields)
    if unknown:
        raise Invalid(prefix + unknown[0], f"The fake does not know the field {prefix + unknown[0]!r}.")


def _flags(value: Any, name: str, flags: set[str], times: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """An object of booleans (``flags``) and nullable Unix times (``times``), nothing else."""
    _known(value, flags | set(times), f"{name}.")
    for key, item in value.items():
        if key in flags and not isinstance(item, bool):
            raise Invalid(f"{name}.{key}", f"{name}.{key} must be true or false.")
        if key in times and item is not None:
            _seconds(item, f"{name}.{key}")
    return dict(value)


def _seconds(value: Any, name: str) -> int:
    if type(value) is not int:
        raise Invalid(name, f"{name} must be a Unix timestamp (whole seconds).")
    if value >= _MILLISECONDS:
        raise Invalid(name, f"{name} looks like milliseconds; Ziik's times are Unix seconds.")
    return value


def _optional_id(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is not None and (type(value) is not int or value < 1):
        raise Invalid(name, f"The {name} must be an id.")
    return value
