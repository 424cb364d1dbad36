"""Object ids: prefixed, 20 characters of [0-9a-z], unique, every character drawn uniformly."""

from __future__ import annotations

import re
from collections import Counter

from octopost.ids import new_id, new_tid


def test_ids_are_prefixed_unique_and_uniform() -> None:
    ids = [new_id("post") for _ in range(20_000)]
    assert all(re.fullmatch(r"post_[0-9a-z]{20}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    counts = Counter(ch for i in ids for ch in i[5:])
    expected = 20_000 * 20 / 36
    assert set(counts) == set("0123456789abcdefghijklmnopqrstuvwxyz")
    assert all(0.9 * expected < n < 1.1 * expected for n in counts.values()), counts
    assert len({i[-1] for i in ids[:200]}) > 20  # the last character varies too (no short draw left padding)


def test_tids_increase() -> None:
    tids = [new_tid() for _ in range(1000)]
    assert tids == sorted(tids)
    assert len(set(tids)) == len(tids)
