"""One `octopost serve` for the operations tests, as an operator would run it: JSON logs, a metrics token; a
Discord fake it publishes to, a post that lands there and one that fails (its image cannot be fetched)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.fakes.discord import CHANNEL_ID
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OctopostProcess, make_octopost
from tests.scheduler.flows import connect, publish, wait_for_status

METRICS_TOKEN = "ops-metrics-token-0123456789"


@dataclass(frozen=True)
class Published:
    """The two publishes the module's tests read about: their post and target ids as the API reported them."""

    succeeded_post: str
    failed_post: str
    create_request_id: str  # the X-Request-Id the succeeding post was created under


@pytest.fixture(scope="module")
def ops_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    work = tmp_path_factory.mktemp("ops")
    service = make_octopost(work, OCTOPOST_LOG_FORMAT="json", OCTOPOST_METRICS_TOKEN=METRICS_TOKEN).start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def discord(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("discord", tmp_path_factory.mktemp("ops-discord")) as fake:
        yield fake


@pytest.fixture(scope="module")
def ops_api(ops_service: OctopostProcess) -> httpx.Client:
    return ops_service.client(workspace="ops")


@pytest.fixture(scope="module")
def published(ops_api: httpx.Client, discord: RunningFake) -> Published:
    connect(ops_api, "discord", discord.url, {"bot_token": "ops-bot-token", "channel_id": CHANNEL_ID})
    request_id = "ops-create-0001"
    created = ops_api.post(
        "/v1/posts",
        json={"content": "Operations: this one lands", "platforms": ["discord"]},
        headers={"X-Request-Id": request_id},
    )
    assert created.status_code == 201, created.text
    good = created.json()["id"]
    assert ops_api.post(f"/v1/posts/{good}/publish").status_code == 200
    # An image the fake does not have: the fetch fails, so the target fails with the media category.
    missing = {"images": [{"url": f"{discord.url}/no-such-image.png", "alt_text": "missing"}]}
    bad = publish(ops_api, "discord", "Operations: this one fails", media=missing)
    assert wait_for_status(ops_api, good, "published", "failed")["status"] == "published"
    failed = wait_for_status(ops_api, bad, "published", "failed")
    assert failed["status"] == "failed"
    assert failed["platform_results"]["discord"]["error_category"] == "media", failed
    return Published(succeeded_post=good, failed_post=bad, create_request_id=request_id)
