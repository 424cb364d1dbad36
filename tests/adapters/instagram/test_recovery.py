"""Instagram containers across interruptions and the account's limits: an expired container made again, a lost
media_publish answer settled by the container's PUBLISHED status (one post), the publishing quota read before a
container, a refused token, Instagram's own token refresh, verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import OutcomeUnknown, Pending, RateLimited, ReauthRequired
from tests.adapters.instagram.support import (
    CREDENTIALS,
    PUBLISH,
    TOKEN,
    MakeAdapter,
    containers,
    published,
    request,
    served,
)
from tests.adapters.pending import continued, drive
from tests.fakes.core import Conditions
from tests.fakes.instagram import USER_ID, USERNAME
from tests.fakes.running import RunningFake
from tests.peers.media_server import MediaServer


async def test_an_expired_container_is_made_again_and_published_once(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    adapter = make_adapter()
    segment = request("made twice", media=(served(media_server, "e.jpg", "image"),))
    first = continued(segment, await adapter.publish(segment))
    fake.control("POST", "expire", {})

    again = await adapter.publish(first)

    assert isinstance(again, Pending)
    old, new = containers(fake)
    assert (old["status"], json.loads(again.handle)["container"]) == ("EXPIRED", new["id"])
    driven = await drive(adapter, continued(segment, again))
    (post,) = published(fake)
    assert (post["container"], post["id"]) == (new["id"], driven.ref.id)
    assert media_server.hits["/instagram/e.jpg"] == 2  # fetched again for the new container


async def test_a_lost_publish_answer_is_settled_by_the_containers_status(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    fake.control("PUT", "processing", {"polls": 1})
    adapter = make_adapter()
    segment = request("the answer got lost", media=(served(media_server, "l.jpg", "image"),))
    ready = continued(segment, await adapter.publish(segment))
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=[PUBLISH]))
    with pytest.raises(OutcomeUnknown, match="Instagram publish"):
        await adapter.publish(ready)
    fake.set_conditions(Conditions())

    settled = await adapter.publish(ready)

    (post,) = published(fake)
    assert not isinstance(settled, Pending)
    assert (settled.id, settled.url) == (post["id"], post["permalink"])
    assert len(fake.created()) == 1


async def test_a_used_up_quota_is_a_rate_limit_before_any_container(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    fake.control("PUT", "quota", {"posts": 1})
    adapter = make_adapter()
    await drive(adapter, request("the one post", media=(served(media_server, "q1.jpg", "image"),)))

    with pytest.raises(RateLimited, match="used its 1 posts") as limited:
        await adapter.publish(request("one too many", media=(served(media_server, "q2.jpg", "image"),)))

    assert limited.value.retry_after == 3600.0
    assert len(containers(fake)) == 1
    assert "/instagram/q2.jpg" not in media_server.hits


async def test_a_refused_token_asks_to_reconnect_and_never_shows(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    token = "IG-old-expired"
    with pytest.raises(ReauthRequired, match=r"Session has expired.*\[code 190/463\].*reconnect") as refused:
        await make_adapter({"access_token": token}).publish(
            request("x", media=(served(media_server, "t.jpg", "image"),))
        )
    assert token not in str(refused.value)


async def test_the_long_lived_token_is_refreshed_by_instagrams_own_exchange(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()

    updated = await adapter.refresh()

    assert updated is not None
    assert updated["access_token"].startswith("IG-refreshed-")
    assert updated["access_token"] != TOKEN
    assert timedelta(days=59) < datetime.fromisoformat(updated["expires_at"]) - datetime.now(UTC)
    assert fake.stats()["refreshes"] == 1


async def test_verify_names_the_account_and_learns_its_id(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    adapter = make_adapter({"access_token": TOKEN})

    profile = await adapter.verify()

    assert (profile.platform_user_id, profile.username) == (USER_ID, USERNAME)
    assert adapter.updated_credentials() == CREDENTIALS


async def test_a_comment_whose_answer_was_lost_is_in_doubt_never_sent_again(
    make_adapter: MakeAdapter, fake: RunningFake, media_server: MediaServer
) -> None:
    adapter = make_adapter()
    main = (await drive(adapter, request("main", media=(served(media_server, "m.jpg", "image"),)))).ref
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/{media}/comments"]))

    with pytest.raises(OutcomeUnknown, match="Instagram comment"):
        await adapter.publish(request("a comment", index=1, root=main))

    assert [c["text"] for c in fake.created()] == ["main", "a comment"]
