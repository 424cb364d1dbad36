"""A series' rule: an RFC 5545 RRULE (read by dateutil, never by hand) in an IANA timezone, starting at the first
occurrence's wall-clock time there (DTSTART is the post's scheduled_for, seen in that timezone).

Occurrences keep their local wall-clock time across daylight-saving changes: weekly 09:00 in Berlin is 08:00Z in
winter and 07:00Z in summer. A local time that does not exist (the spring-forward gap) is taken at the end of the
gap, and one that happens twice (the fall-back hour) at its first occurrence: the queue's rule, shared with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule

from octopost.errors import Problems
from octopost.queue.slots import InvalidSchedule, wall_clock_instant, zone

# An occurrence is a whole post to every platform of it: more often than hourly is flooding (platforms' spam rules,
# and a day's horizon would hold thousands of posts). FREQ=HOURLY is refused as well: a post a few times a day is
# written as DAILY with BYHOUR, which says so.
MIN_GAP = timedelta(hours=1)
_GAP_SAMPLE = 200  # occurrences whose spacing is checked
_REFUSED_FREQ = ("SECONDLY", "MINUTELY", "HOURLY")
# What the rule may not carry: the start is scheduled_for, and extra or excluded dates are not supported.
_NOT_IN_A_RULE = ("DTSTART", "RDATE", "EXDATE", "EXRULE", "TZID")
_SEARCH_LIMIT = 100_000  # rule instances read at most while looking for one (a rule that yields nothing ends)


@dataclass(frozen=True)
class Rule:
    rrule: str  # the RRULE's parts, without an "RRULE:" prefix
    timezone: str
    starts_at: datetime  # the first occurrence (UTC): DTSTART is its wall-clock time in ``timezone``

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _parsed(self) -> Iterator[datetime]:
        start = self.starts_at.astimezone(self.zone).replace(microsecond=0)
        parsed: Iterator[datetime] = iter(dateutil_rrule.rrulestr(self.rrule, dtstart=start))
        return parsed

    def instants(self, after: datetime | None = None, until: datetime | None = None) -> Iterator[datetime]:
        """The occurrences (UTC instants, in order) strictly after ``after`` and not after ``until``."""
        tz = self.zone
        for local in islice(self._parsed(), _SEARCH_LIMIT):
            at = wall_clock_instant(local, tz)
            if until is not None and at > until:
                return
            if after is None or at > after:
                yield at

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)


def normalized(text: str) -> str:
    text = text.strip()
    return text[len("RRULE:") :] if text.upper().startswith("RRULE:") else text


def parse(rrule_text: str, timezone: str, starts_at: datetime | None, problems: Problems) -> Rule | None:
    """The rule a ``recurrence`` body describes for a first occurrence at ``starts_at``, or None with every problem
    of it added to ``problems``."""
    text = normalized(rrule_text)
    before = len(problems.items)
    try:
        zone(timezone)
    except InvalidSchedule as exc:
        problems.items.extend(f"recurrence.{p}" for p in exc.problems)
    if "\n" in text or "\r" in text or ":" in text:
        problems.add("recurrence.rrule: one RRULE only (no DTSTART, RDATE or EXDATE lines: the start is scheduled_for)")
    parts = {part.partition("=")[0].strip().upper(): part.partition("=")[2] for part in text.split(";") if part}
    smuggled = [name for name in _NOT_IN_A_RULE if name in parts]
    if smuggled:
        problems.add(f"recurrence.rrule: {', '.join(smuggled)} cannot be part of the rule (the start is scheduled_for)")
    frequency = parts.get("FREQ", "").strip().upper()
    if frequency in _REFUSED_FREQ:
        problems.add(f"recurrence.rrule: FREQ={frequency} is too frequent; the shortest is FREQ=DAILY")
    if "COUNT" in parts and "UNTIL" in parts:
        problems.add("recurrence.rrule: COUNT and UNTIL cannot both be given (RFC 5545)")
    if starts_at is None:
        problems.add("recurrence: needs scheduled_for, the first occurrence, as a time")
    if len(problems.items) > before or starts_at is None:
        return None
    rule = Rule(text, timezone, starts_at.replace(microsecond=0))
    try:
        first = list(islice(rule.instants(), _GAP_SAMPLE))
    except (ValueError, TypeError) as exc:  # dateutil's word for a rule it cannot read
        problems.add(f"recurrence.rrule: {text!r} is not a valid RFC 5545 rule ({_reason(exc)})")
        return None
    _check_occurrences(rule, first, problems)
    return None if len(problems.items) > before else rule


def _check_occurrences(rule: Rule, first: list[datetime], problems: Problems) -> None:
    if not first:
        problems.add("recurrence.rrule: the rule yields no occurrence from scheduled_for on")
    elif first[0] != rule.starts_at:
        local = rule.local(rule.starts_at).strftime("%a %Y-%m-%d %H:%M")
        problems.add(
            f"recurrence: scheduled_for ({local} {rule.timezone}) is not an occurrence of the rule; "
            f"its first occurrence would be {rule.local(first[0]).isoformat()}"
        )
    gaps = [b - a for a, b in pairwise(first)]
    if gaps and min(gaps) < MIN_GAP:
        problems.add(f"recurrence.rrule: occurrences {min(gaps)} apart; they must be at least an hour apart")


def _reason(exc: Exception) -> str:
    if isinstance(exc, TypeError):  # rrule() without its freq
        return "FREQ is required"
    return str(exc)
