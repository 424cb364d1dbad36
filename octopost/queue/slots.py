"""Weekly slots as instants: each slot is a weekday and a local wall-clock time in the queue's timezone, so
"Monday 09:00 in Berlin" stays 09:00 in Berlin across daylight-saving changes (and moves in UTC). A slot that falls
in a spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) is taken at the instant the gap
ends; in the repeated hour of a fall-back night the first occurrence counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from octopost.timezones import find_zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SLOTS = 7 * 48  # every half hour of the week
_HORIZON_WEEKS = 520  # how far ahead a search for a free slot may look (ten years)


class InvalidSchedule(ValueError):
    """A timezone or slots the queue cannot hold; ``problems`` names each one."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, order=True)
class Slot:
    weekday: int  # Monday = 0
    at: time

    @property
    def label(self) -> dict[str, str]:
        return {"day": DAYS[self.weekday], "time": self.at.strftime("%H:%M")}


def zone(name: str) -> ZoneInfo:
    found = find_zone(name)
    if found is None:
        raise InvalidSchedule(f"timezone {name!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York)")
    return found


def parse_slots(raw: list[dict[str, str]]) -> list[Slot]:
    """Slots from ``[{"day": "mon", "time": "09:00"}, …]``, sorted, every problem named at once."""
    problems: list[str] = []
    slots: set[Slot] = set()
    if len(raw) > MAX_SLOTS:
        raise InvalidSchedule(f"a queue holds at most {MAX_SLOTS} slots, got {len(raw)}")
    for index, entry in enumerate(raw):
        day, clock = str(entry.get("day", "")).lower(), str(entry.get("time", ""))
        if day not in DAYS:
            problems.append(f"slots[{index}].day must be one of {', '.join(DAYS)}, got {day!r}")
            continue
        try:
            hours, minutes = clock.split(":")
            at = time(int(hours), int(minutes))
        except ValueError:
            problems.append(f"slots[{index}].time must be HH:MM (24-hour), got {clock!r}")
            continue
        if len(hours) != 2 or len(minutes) != 2:
            problems.append(f"slots[{index}].time must be HH:MM (24-hour), got {clock!r}")
            continue
        slots.add(Slot(DAYS.index(day), at))
    if problems:
        raise InvalidSchedule(*problems)
    return sorted(slots)


def _instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, at, tzinfo=tz)  # fold=0: the first of a repeated hour
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        # In a gap: the wall-clock time never happens that night. Take the first instant after the jump.
        instant = _gap_end(day, at, tz)
    return instant


def wall_clock_instant(local: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock time ``local`` in ``tz`` by the rule above (a gap: its end; a repeated hour:
    the first), shared with recurring posts so both read local times alike."""
    return _instant(local.date(), local.time().replace(tzinfo=None, fold=0), tz)


def _gap_end(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant local time resumes after the gap ``at`` falls in (found by stepping a minute at a time in UTC)."""
    probe = datetime.combine(day, at, tzinfo=tz).astimezone(UTC) - timedelta(hours=3)
    wanted = datetime.combine(day, at)
    while probe.astimezone(tz).replace(tzinfo=None) < wanted:
        probe += timedelta(minutes=1)
    return probe


def upcoming(slots: list[Slot], timezone: str, after: datetime) -> Iterator[datetime]:
    """The slots' instants (UTC) strictly after ``after``, in order, for as long as the caller reads (bounded)."""
    if not slots:
        return
    tz = zone(timezone)
    first_day = after.astimezone(tz).date()
    for offset in range(_HORIZON_WEEKS * 7 + 1):
        day = first_day + timedelta(days=offset)
        for slot in slots:
            if slot.weekday == day.weekday():
                instant = _instant(day, slot.at, tz)
                if instant > after:
                    yield instant
