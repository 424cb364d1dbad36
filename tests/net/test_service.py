"""The network guard in a real `octopost serve`: account base URLs are refused at connect (422), media URLs
fail their target with the reason, on any redirect hop too, and a slow-drip media server is cut at the deadline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_posts import assert_error
from tests.net.servers import TestServer, serving
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, wait_for_status


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serving() as running:
        yield running


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    """A service with the default policy: no allowlist."""
    service = make_octopost(tmp_path_factory.mktemp("strict"), OCTOPOST_NETWORK_ALLOWLIST="").start()
    yield service
    service.stop()


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]", "localhost.", "LocalHost"]
)
def test_private_base_url_is_a_422_at_connect(strict: OctopostProcess, server: TestServer, host: str) -> None:
    base_url = server.url("", host=host)
    answer = strict.client().post(
        "/v1/accounts", json={"platform": "mastodon", "base_url": base_url, "credentials": {"access_token": "x"}}
    )
    body = assert_error(answer, 422, "validation_error", f"base_url {base_url}", "resolves to a private address")
    assert "loopback" in body["error"]
    assert body["details"]["errors"] == [body["error"]]
    assert server.seen.connections == 0  # refused before anything was sent



@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]"])
def test_private_webhook_url_is_a_422_at_create_and_update(strict: OctopostProcess, host: str) -> None:
    api = strict.client(workspace=f"webhooks-{host}")
    private = f"http://{host}:9/hook"
    body = {"url": private, "events": ["post.published"]}
    assert_error(api.post("/v1/webhooks", json=body), 422, "validation_error", f"url {private}", "private address")
    assert api.get("/v1/webhooks").json()["webhooks"] == []  # nothing half-written
    public = api.post("/v1/webhooks", json={**body, "url": "http://93.184.215.14/hook"})
    assert public.status_code == 201, public.text  # a literal public address: no lookup, no request
    endpoint = public.json()["id"]
    changed = api.put(f"/v1/webhooks/{endpoint}", json={"url": private})
    assert_error(changed, 422, "validation_error", f"url {private}", "private address")
    assert api.get(f"/v1/webhooks/{endpoint}").json()["url"] == "http://93.184.215.14/hook"  # unchanged

def test_media_urls_are_refused_redirected_or_not_and_a_drip_is_cut(
    tmp_path: Path, server: TestServer, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    service = make_octopost(
        tmp_path, OCTOPOST_NETWORK_ALLOWLIST="127.0.0.1/32", OCTOPOST_HTTP_TOTAL_TIMEOUT_SECONDS="2"
    ).start()
    try:
        api = service.client()
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)  # 127.0.0.1: allowlisted
        other_loopback = server.url(host="2130706434")  # 127.0.0.2, outside the allowlist
        redirected = server.url(f"/redirect?to={server.url(host='127.0.0.2')}")
        drip = server.url("/drip")
        expected = {
            other_loopback: f"media URL {other_loopback} resolves to a private address (127.0.0.2: loopback)",
            redirected: f"media URL {redirected} redirects to 127.0.0.2, which resolves to a private address "
            "(127.0.0.2: loopback)",
            drip: f"media {drip}: no complete answer from 127.0.0.1 within 2 s",
        }
        posts = {}
        for url in expected:
            body = {"content": "guarded", "platforms": ["mastodon"], "media": {"images": [{"url": url}]}}
            post = api.post("/v1/posts", json=body).json()
            assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
            posts[url] = post["id"]
        for url, message in expected.items():
            done = wait_for_status(api, posts[url], "failed", "published", timeout=60)
            assert done["status"] == "failed"
            assert done["platform_results"]["mastodon"]["error"] == message
        assert server.seen.dripped > 0
        assert mastodon_peer.statuses(mastodon_account.token) == []  # nothing was posted
    finally:
        service.stop()
