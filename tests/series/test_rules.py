"""A series' rule in its timezone: wall-clock time kept across DST, the spring-forward gap taken at its end, the
repeated fall-back hour at its first occurrence."""

from __future__ import annotations

from datetime import UTC, datetime

from octopost.errors import Problems
from octopost.series.rules import parse


def daily_from(first: datetime, count: int = 3) -> list[str]:
    problems = Problems()
    rule = parse(f"FREQ=DAILY;COUNT={count}", "Europe/Berlin", first, problems)
    assert rule is not None, problems.items
    return [at.isoformat() for at in rule.instants()]


def test_a_time_in_the_spring_forward_gap_is_taken_at_the_gap_end() -> None:
    # 2030-03-31: Berlin jumps from 02:00 to 03:00; 02:30 does not happen that night.
    assert daily_from(datetime(2030, 3, 30, 1, 30, tzinfo=UTC)) == [
        "2030-03-30T01:30:00+00:00",  # 02:30 +01:00
        "2030-03-31T01:00:00+00:00",  # 03:00 +02:00, the end of the gap
        "2030-04-01T00:30:00+00:00",  # 02:30 +02:00
    ]


def test_a_time_in_the_repeated_fall_back_hour_is_its_first_occurrence() -> None:
    # 2030-10-27: Berlin's 02:00-03:00 happens twice; 02:30 is taken at +02:00 (00:30Z), not at +01:00 (01:30Z).
    assert daily_from(datetime(2030, 10, 26, 0, 30, tzinfo=UTC)) == [
        "2030-10-26T00:30:00+00:00",
        "2030-10-27T00:30:00+00:00",
        "2030-10-28T01:30:00+00:00",
    ]


def test_an_hourly_rule_and_too_close_occurrences_are_refused() -> None:
    start = datetime(2030, 1, 7, 9, tzinfo=UTC)
    problems = Problems()
    assert parse("FREQ=HOURLY", "UTC", start, problems) is None
    assert parse("FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30", "UTC", start, problems) is None
    assert parse("FREQ=WEEKLY;COUNT=2;UNTIL=20300301T000000Z", "UTC", start, problems) is None
    assert parse("FREQ=WEEKLY;UNTIL=20300101T000000", "UTC", start, problems) is None  # UNTIL must be UTC
    assert len(problems.items) == 4, problems.items
