"""Workers SIGKILLed at random points over 50 thread publishes to the real PDS and mastodon_mock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonPeer
from tests.scheduler.kill_loop import run_kill_loop


@pytest.mark.heavy
def test_random_sigkills_lose_nothing_and_double_nothing(
    tmp_path: Path, bsky_pds: BskyPds, mastodon_peer: MastodonPeer
) -> None:
    report = run_kill_loop(tmp_path, bsky_pds, mastodon_peer, posts=50, kill_after=(8, 30), seed=20261123)
    print(report.summary())
    assert report.rounds >= 5, report.summary()  # the workers really were killed mid-publish
    assert report.clean, report.summary()
