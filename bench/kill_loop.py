"""Kill-loop benchmark: `octopost worker` SIGKILLed at random points, ROUNDS times (default 200), while
threads publish to the real Bluesky PDS and mastodon_mock. Prints duplicates and losses (both must be 0).

    .venv/bin/python bench/kill_loop.py [ROUNDS] [SEED]

Needs the peers (`make peers`). Takes about 4 s per round on the 2-core machine (a worker's start-up is most
of it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.peers.bluesky import running_pds
from tests.peers.mastodon import running_mastodon_mock
from tests.scheduler.kill_loop import SEGMENTS, run_kill_loop


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    # ~4.5 deliveries between kills on average: enough threads that the loop reaches ROUNDS kills.
    posts = max(10, rounds * 5 // (2 * SEGMENTS))
    with tempfile.TemporaryDirectory(prefix="octopost-kill-loop-") as tmp:
        work = Path(tmp)
        (work / "pds").mkdir()
        (work / "mastodon").mkdir()
        (work / "run").mkdir()
        with running_pds(work / "pds") as pds, running_mastodon_mock(work / "mastodon") as mastodon:
            report = run_kill_loop(
                work / "run", pds, mastodon, posts=posts, kill_after=(1, 8), seed=seed, max_rounds=rounds
            )
    print(report.summary())
    print(
        f"kill_loop rounds={report.rounds} posts={report.posts}"
        f" remote_posts_expected={2 * report.expected_per_platform}"
        f" duplicates={report.bluesky_duplicates + report.mastodon_duplicates}"
        f" lost={report.bluesky_lost + report.mastodon_lost} seconds={report.seconds:.0f}"
    )
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
