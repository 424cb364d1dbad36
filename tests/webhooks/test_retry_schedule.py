"""The retry schedule as a pure function: about a day of exponential backoff with jitter, Retry-After honoured."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scheduler.webhook_retry import MAX_ATTEMPTS, MAX_RETRY_AFTER, next_retry_at, parse_retry_after

NOW = datetime(2026, 4, 10, 9, 0, tzinfo=UTC)


def no_jitter() -> float:
    return 0.5


def delay(attempt: int, retry_after: float | None = None, **kwargs: object) -> timedelta:
    at = next_retry_at(attempt, NOW, retry_after, **{"rand": no_jitter, **kwargs})  # type: ignore[arg-type]
    assert at is not None
    return at - NOW


def test_default_schedule_grows_from_seconds_to_hours_and_spans_about_a_day() -> None:
    delays = [delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays[:4] == [timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10)]
    assert delays[-1] == timedelta(hours=8)
    assert all(a < b for a, b in itertools.pairwise(delays[:-1]))  # growing until the 8 h plateau
    assert timedelta(hours=22) < sum(delays, timedelta()) < timedelta(hours=25)


def test_retries_end_after_the_last_attempt() -> None:
    assert next_retry_at(MAX_ATTEMPTS - 1, NOW) is not None
    assert next_retry_at(MAX_ATTEMPTS, NOW) is None
    assert next_retry_at(MAX_ATTEMPTS, NOW, retry_after=5) is None


def test_the_base_scales_the_whole_schedule() -> None:
    assert delay(1, base_seconds=0.05) == timedelta(milliseconds=50)
    assert delay(3, base_seconds=0.05) == timedelta(seconds=1.2)


@pytest.mark.parametrize(("rand", "factor"), [(0.0, 0.9), (0.999999, 1.1)])
def test_jitter_spreads_each_delay_by_ten_percent(rand: float, factor: float) -> None:
    at = next_retry_at(2, NOW, rand=lambda: rand)
    assert at is not None
    assert (at - NOW).total_seconds() == pytest.approx(30 * factor, rel=1e-4)


def test_retry_after_is_a_floor_and_capped() -> None:
    assert delay(1, retry_after=120) == timedelta(seconds=120)  # later than the 5 s backoff
    assert delay(4, retry_after=1) == timedelta(minutes=10)  # the backoff is later still
    assert delay(1, retry_after=-3) == timedelta(seconds=5)
    assert delay(1, retry_after=10**9) == MAX_RETRY_AFTER


def test_parse_retry_after_seconds_and_http_dates() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(" 0 ", NOW) == 0.0
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), NOW) == 90.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("", NOW) is None
    assert parse_retry_after(None, NOW) is None
