"""Run one platform fake as its own process: ``python -m tests.fakes.serve mastodon --port 8123 --latency-ms 20``.

Its own process keeps the fake's work off the test's (and the workers') interpreter; the conditions can be
changed later through ``PUT /_fake/conditions``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

from tests.fakes.amity import FakeAmity
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.colibri import FakeColibri
from tests.fakes.core import Conditions, FakePlatform
from tests.fakes.discord import FakeDiscord
from tests.fakes.facebook import FakeFacebook
from tests.fakes.http import serve
from tests.fakes.instagram import FakeInstagram
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.slack import FakeSlack
from tests.fakes.telegram import FakeTelegram
from tests.fakes.threads import FakeThreads
from tests.fakes.tiktok import FakeTikTok
from tests.fakes.twitter import FakeTwitter
from tests.fakes.youtube import FakeYouTube
from tests.fakes.ziik import FakeZiik

PLATFORMS: dict[str, type[FakePlatform]] = {
    "mastodon": FakeMastodon,
    "bluesky": FakeBluesky,
    "twitter": FakeTwitter,
    "discord": FakeDiscord,
    "colibri": FakeColibri,  # a ColibriSM site: its timeline and its direct messages
    "amity": FakeAmity,
    "ziik": FakeZiik,
    "slack": FakeSlack,  # its methods checked against ../shared/specs/slack-methods (the fake needs them)
    "telegram": FakeTelegram,  # its calls checked against ../shared/specs/telegram-bot-api.json
    "tiktok": FakeTikTok,
    "youtube": FakeYouTube,  # its calls checked against Google's discovery document (tests/fakes/youtube)
    "linkedin": FakeLinkedIn,
    "facebook": FakeFacebook,
    "instagram": FakeInstagram,  # as Threads' fake: containers, media fetched from their URLs
    "threads": FakeThreads,  # containers processed over several status polls, media fetched from their URLs
}


async def _main(platform: FakePlatform, port: int) -> None:
    server = await serve(platform, "127.0.0.1", port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("platform", choices=sorted(PLATFORMS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--conditions", default="{}", help="JSON of tests.fakes.core.Conditions fields")
    args = parser.parse_args()
    fake = PLATFORMS[args.platform](Conditions.from_json(json.loads(args.conditions)))
    asyncio.run(_main(fake, args.port))


if __name__ == "__main__":
    main()
