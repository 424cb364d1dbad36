"""The Compose form as the REST API's create body, and the API's problems placed next to the inputs they concern.

One reader for both ways the form arrives: the posted form itself (submit, works without scripts) and the same
fields as JSON from the page's script (the live counters), so the counters check exactly what submitting sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from octopost.posts.schemas import ImageIn, MediaIn, OverrideIn, PollIn, PostCreate, SegmentIn
from octopost.posts.validation import KNOWN_PLATFORMS
from octopost.queue.claims import NEXT_FREE_SLOT
from octopost.timefmt import iso
from octopost.timezones import find_zone

WHEN = ("now", "schedule", "queue", "draft")
POLL_OPTIONS = 4  # the API's most; empty ones are left out
GENERAL = "general"  # problems that belong to no one input: shown above the form

Fields = Mapping[str, list[str]]


def fields_of(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """A JSON object of the form's fields (a value or a list of values each) as lists of strings."""
    out: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        out[str(name)] = [str(v) for v in values if v is not None]
    return out


@dataclass
class ComposeInput:
    """What the person typed, kept as typed (the form is shown again with it after a problem)."""

    content: str = ""
    segments: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    preset_id: str = ""
    versions: dict[str, str] = field(default_factory=dict)  # platform → its own text ("" = the post's)
    poll_options: list[str] = field(default_factory=lambda: [""] * POLL_OPTIONS)
    poll_duration: str = ""
    reply_policy: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)  # (upload URL, alt text)
    when: str = "now"
    scheduled_local: str = ""  # a datetime-local value: wall time in `timezone`
    timezone: str = ""

    @classmethod
    def read(cls, fields: Fields) -> ComposeInput:
        def one(name: str) -> str:
            values = fields.get(name) or [""]
            return values[0]

        options = [*(fields.get("poll_option") or []), *[""] * POLL_OPTIONS][:POLL_OPTIONS]
        urls, alts = fields.get("media_url") or [], fields.get("media_alt") or []
        when = one("when")
        return cls(
            content=one("content"),
            segments=list(fields.get("segment") or []),
            platforms=list(dict.fromkeys(fields.get("platform") or [])),
            preset_id=one("preset_id"),
            versions={name.removeprefix("version_"): v[0] for name, v in fields.items() if _is_version(name, v)},
            poll_options=options,
            poll_duration=one("poll_duration"),
            reply_policy=one("reply_policy"),
            images=[(url, alts[i] if i < len(alts) else "") for i, url in enumerate(urls) if url],
            when=when if when in WHEN else "now",
            scheduled_local=one("scheduled_local"),
            timezone=one("timezone"),
        )

    def create_body(self, now: datetime | None = None) -> tuple[PostCreate, list[str]]:
        """The REST API's create body (``when=now`` is a draft the caller publishes at once) and the problems of
        what only the form has (its local time and zone), in the API's ``field: message`` form."""
        problems: list[str] = []
        chosen = [p for p in self.platforms if p]
        body = PostCreate(
            content=self.content,
            platforms=chosen if chosen or not self.preset_id else None,
            preset_id=self.preset_id or None,
            segments=[SegmentIn(content=text) for text in self.segments] or None,
            media=MediaIn(images=[ImageIn(url=u, alt_text=a.strip() or None) for u, a in self.images])
            if self.images
            else None,
            poll=self._poll(problems),
            reply_policy=self.reply_policy or None,
            overrides={p: OverrideIn(content=text) for p, text in self.versions.items() if text.strip()} or None,
        )
        if self.when == "queue":
            body.scheduled_for = NEXT_FREE_SLOT
        elif self.when == "schedule":
            body.scheduled_for = self._instant(problems)
        return body, problems

    def _poll(self, problems: list[str]) -> PollIn | None:
        options = [o for o in self.poll_options if o.strip()]
        if not options:
            return None
        try:
            minutes = int(self.poll_duration)
        except ValueError:
            problems.append("poll.duration_minutes: give the poll's duration in minutes")
            minutes = 0
        return PollIn(options=options, duration_minutes=minutes)

    def _instant(self, problems: list[str]) -> str | None:
        zone = find_zone(self.timezone or "UTC")
        if zone is None:
            problems.append(f"scheduled_for: {self.timezone!r} is not a time zone")
            return None
        try:
            wall = datetime.fromisoformat(self.scheduled_local)
        except ValueError:
            problems.append("scheduled_for: choose a date and a time")
            return None
        if wall.tzinfo is not None:
            problems.append("scheduled_for: give the wall time without an offset")
            return None
        return iso(wall.replace(tzinfo=zone).astimezone(UTC))


def _is_version(name: str, values: list[str]) -> bool:
    return name.startswith("version_") and bool(values)


_SEGMENT = re.compile(r"segments\[(\d+)\]")
_FIELD = re.compile(r"[A-Za-z0-9_.\[\]]*")  # a field path as problems begin with it: poll.options[1]


def _lead(text: str) -> str:
    found = _FIELD.match(text)
    return found.group(0) if found else ""


def field_of(problem: str, versions: Mapping[str, str] | None = None) -> str:
    """Which input a problem of the API concerns: ``content``, ``segment-N`` (0-based), ``platforms``, ``poll``,
    ``reply_policy``, ``media``, ``schedule``, ``version-<platform>``, or GENERAL. A platform's own problem
    (``twitter: segments[0] is …``) goes to the text it counts: the platform's version when it has one."""
    where = _lead(problem)
    if where in KNOWN_PLATFORMS and problem.startswith(where + ":"):
        words = problem[len(where) + 1 :].strip()
        if words.startswith("no active"):
            return "platforms"
        if words.startswith("content") and (versions or {}).get(where, "").strip():
            return f"version-{where}"
        where = _lead(words)
    if where.startswith("overrides."):
        return "version-" + where.split(".")[1]
    match = _SEGMENT.match(where)
    if match:
        return f"segment-{match.group(1)}"
    for prefix, name in _PREFIXES:
        if where.startswith(prefix):
            return name
    return GENERAL


_PREFIXES = (
    ("content", "content"),
    ("platforms", "platforms"),
    ("preset_id", "platforms"),
    ("accounts", "platforms"),
    ("poll", "poll"),
    ("reply_policy", "reply_policy"),
    ("media", "media"),
    ("scheduled_for", "schedule"),
)


def problems_by_field(problems: list[str], versions: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    placed: dict[str, list[str]] = {}
    for problem in problems:
        placed.setdefault(field_of(problem, versions), []).append(problem)
    return placed
