"""Weekly queue slots as instants: wall-clock time kept across daylight-saving changes, the spring-forward gap and
the fall-back repeat, and every bad slot named at once."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice

import pytest

from octopost.queue.slots import InvalidSchedule, parse_slots, upcoming, zone


def first(n: int, raw: list[dict[str, str]], timezone: str, after: datetime) -> list[str]:
    return [at.isoformat() for at in islice(upcoming(parse_slots(raw), timezone, after), n)]


def test_a_weekly_slot_keeps_its_local_time_across_a_dst_change() -> None:
    mondays = first(3, [{"day": "mon", "time": "09:00"}], "Europe/Berlin", datetime(2027, 3, 20, tzinfo=UTC))
    # 09:00 in Berlin: CET (UTC+1) before 28 March 2027, CEST (UTC+2) after.
    assert mondays == ["2027-03-22T08:00:00+00:00", "2027-03-29T07:00:00+00:00", "2027-04-05T07:00:00+00:00"]
    new_york = first(2, [{"day": "mon", "time": "09:00"}], "America/New_York", datetime(2027, 11, 1, 12, tzinfo=UTC))
    assert new_york == ["2027-11-01T13:00:00+00:00", "2027-11-08T14:00:00+00:00"]  # EDT, then EST after 7 November


def test_a_slot_in_the_spring_forward_gap_is_taken_when_the_gap_ends() -> None:
    [at] = first(1, [{"day": "sun", "time": "02:30"}], "Europe/Berlin", datetime(2027, 3, 27, tzinfo=UTC))
    assert at == "2027-03-28T01:00:00+00:00"  # 02:30 never happens that night; 03:00 CEST does


def test_a_slot_in_the_repeated_hour_counts_once() -> None:
    sundays = first(2, [{"day": "sun", "time": "02:30"}], "Europe/Berlin", datetime(2027, 10, 30, tzinfo=UTC))
    assert sundays == ["2027-10-31T00:30:00+00:00", "2027-11-07T01:30:00+00:00"]  # the first 02:30 (CEST)


def test_slots_come_in_order_after_the_given_instant() -> None:
    raw = [{"day": "thu", "time": "17:45"}, {"day": "mon", "time": "09:00"}, {"day": "mon", "time": "08:00"}]
    after = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # Monday 08:00 UTC exactly: not included
    assert first(3, raw, "UTC", after) == [
        "2027-01-04T09:00:00+00:00",
        "2027-01-07T17:45:00+00:00",
        "2027-01-11T08:00:00+00:00",
    ]


def test_duplicate_slots_collapse() -> None:
    assert len(parse_slots([{"day": "Mon", "time": "09:00"}, {"day": "mon", "time": "09:00"}])) == 1


def test_every_bad_slot_is_named_at_once() -> None:
    raw = [{"day": "funday", "time": "09:00"}, {"day": "tue", "time": "9am"}, {"day": "wed", "time": "24:00"}]
    with pytest.raises(InvalidSchedule) as refused:
        parse_slots(raw)
    message = str(refused.value)
    for part in ("slots[0].day", "slots[1].time", "slots[2].time"):
        assert part in message


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "Europe/"])
def test_a_timezone_must_be_an_iana_zone(name: str) -> None:
    with pytest.raises(InvalidSchedule, match="IANA"):
        zone(name)
