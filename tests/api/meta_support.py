"""What the Threads and Instagram through-the-API tests share: one world per module (the OAuth peer playing Meta's
authorization server, which issues no refresh tokens; the platform's strict fake trusting it; one `octopost serve`
configured with the app), accounts connected through the OAuth screen, and posts driven through their processing
steps without waiting out Meta's advised delays (3 to 30 seconds before a container is read,
adapters/threads/containers.py): ``hurried_until`` makes waiting targets due at once (flows.make_all_due, the one
write behind the API's back); uploads and ``settled_through_processing`` come from tests/api/support.py."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.api.oauth_support import connect_through_oauth, octopost_for, peer_like
from tests.fakes.running import RunningFake, calm, running_fake
from tests.peers.app import OctopostProcess
from tests.peers.oauth_server import OAuthPeer, running_oauth_peer
from tests.scheduler.flows import make_all_due


@dataclass
class MetaWorld:
    platform: str
    peer: OAuthPeer
    fake: RunningFake
    service: OctopostProcess
    _earlier: list[OctopostProcess] = field(default_factory=list)

    def connect(self, api: httpx.Client) -> dict[str, Any]:
        """An account connected through the OAuth screen (the long-lived token exchanged at connect)."""
        return connect_through_oauth(api, self.peer, self.fake.url, self.platform)

    def crash_and_succeed(self) -> OctopostProcess:
        """SIGKILL the module's worker and start another on its database and its port (so the public media URLs and
        the OAuth callback stay where they were), which serves the module from then on: a service start costs
        seconds, so the crash test reuses the module's rather than starting two of its own."""
        first = self.service
        first.kill()
        self._earlier.append(first)
        log = first.log_path.with_name(f"{first.log_path.stem}-after-crash-{len(self._earlier)}.log")
        self.service = OctopostProcess(first.data_dir, first.port, dict(first.env), log).start()
        return self.service

    def stop(self) -> None:
        for service in [*self._earlier, self.service]:
            service.stop()


def world_per_module(platform: str) -> Any:
    """A module-scoped fixture: the module's MetaWorld for ``platform``; pair it with ``calm_world``."""

    @pytest.fixture(scope="module")
    def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MetaWorld]:
        settings = {**peer_like(platform), "refresh_tokens": False}  # Meta's token answers carry no refresh token
        with (
            running_oauth_peer(**settings, work_dir=tmp_path_factory.mktemp(f"oauth-{platform}")) as peer,
            running_fake(platform, tmp_path_factory.mktemp(f"fake-{platform}")) as fake,
        ):
            fake.trust_authorization_server(peer.issuer, peer.client_id)
            service = octopost_for(peer, tmp_path_factory.mktemp(f"octopost-{platform}"), platform).start()
            world = MetaWorld(platform, peer, fake, service)
            try:
                yield world
            finally:
                world.stop()

    return world


def calm_world(world: MetaWorld) -> Iterator[MetaWorld]:
    """For a per-test fixture: the world's fake empty and calm (containers FINISHED at their first read)."""
    with calm(world.fake):
        world.fake.control("PUT", "processing", {"polls": 1})
        yield world


def hurried_until(service: OctopostProcess, condition: Callable[[], bool], *, what: str, timeout: float = 30) -> None:
    """Wait for ``condition``, every waiting target made due at once (Meta's advised delays not slept through)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        make_all_due(service.database_url)
        time.sleep(0.1)  # polling interval
    raise AssertionError(f"{what} did not happen within {timeout}s")


def target_row(service: OctopostProcess, post_id: str) -> tuple[str, str | None, str | None]:
    """(status, lease owner, error category) of the post's one target."""
    path = service.database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path, timeout=30) as conn:
        row = conn.execute(
            "SELECT status, lease_owner, error_category FROM target WHERE post_id = ?", (post_id,)
        ).fetchone()
    return (row[0], row[1], row[2]) if row else ("", None, None)


def post_now(api: httpx.Client, platform: str, content: str, **fields: Any) -> str:
    post = api.post("/v1/posts", json={"content": content, "platforms": [platform], **fields})
    assert post.status_code == 201, post.text
    assert api.post(f"/v1/posts/{post.json()['id']}/publish").status_code == 200
    return str(post.json()["id"])


def module_fixtures(world_fixture: str) -> tuple[Any, Any]:
    """The per-test ``world`` (the module's, calm) and ``api`` (a client of a fresh workspace with an account
    connected through the OAuth screen) fixtures, over the module-scoped fixture named ``world_fixture``."""

    @pytest.fixture
    def world(request: pytest.FixtureRequest) -> Iterator[MetaWorld]:
        yield from calm_world(request.getfixturevalue(world_fixture))

    @pytest.fixture
    def api(world: MetaWorld, request: pytest.FixtureRequest) -> httpx.Client:
        client = world.service.client(workspace=f"ws-{request.node.name}"[:180])
        world.connect(client)
        return client

    return world, api


def published(world: MetaWorld) -> list[dict[str, Any]]:
    return list(world.fake.control("GET", "published"))


def lost_answers(world: MetaWorld) -> int:
    """Publish calls the fake applied and then dropped the connection of."""
    return int(world.fake.stats().get("fault_reset_after", 0))
