"""GET /metrics of a real `octopost serve` after a publish that landed on the Discord fake and one that failed:
parsed with prometheus-client's parser, the publish counters by platform/outcome/category, the dispatch lateness
histogram and the HTTP requests by route template; the token is required when set (the queue gauges:
test_queue_metrics.py)."""

from __future__ import annotations

import httpx

from tests.ops.conftest import METRICS_TOKEN, Published
from tests.ops.scrape import scrape, value
from tests.peers.app import OctopostProcess


def test_publishes_are_counted_by_platform_outcome_and_error_category(
    ops_service: OctopostProcess, published: Published
) -> None:
    samples = scrape(ops_service.url, METRICS_TOKEN)
    publishes = "octopost_publishes_total"
    assert value(samples, publishes, platform="discord", outcome="succeeded", error_category="none") == 1
    assert value(samples, publishes, platform="discord", outcome="failed", error_category="media") == 1
    assert value(samples, publishes, platform="discord", outcome="failed", error_category="none") == 0


def test_dispatch_lateness_is_observed_for_each_claimed_target(
    ops_service: OctopostProcess, published: Published
) -> None:
    samples = scrape(ops_service.url, METRICS_TOKEN)
    assert value(samples, "octopost_dispatch_lateness_seconds_count", platform="discord") == 2
    # Published now, claimed at once (the publish wakes the scheduler): well within the 5 s bucket.
    assert value(samples, "octopost_dispatch_lateness_seconds_bucket", platform="discord", le="5.0") == 2
    assert value(samples, "octopost_dispatch_lateness_seconds_sum", platform="discord") < 10
    assert value(samples, "octopost_lease_takeovers_total", platform="discord") == 0


def test_http_requests_are_counted_by_route_template_never_by_raw_path(
    ops_service: OctopostProcess, ops_api: httpx.Client, published: Published
) -> None:
    for _ in range(3):
        assert ops_api.get(f"/v1/posts/{published.succeeded_post}").status_code == 200
    assert ops_api.get("/v1/posts/post_doesnotexist").status_code == 404
    assert httpx.get(f"{ops_service.url}/no/such/route/{published.failed_post}").status_code == 404
    samples = scrape(ops_service.url, METRICS_TOKEN)

    requests = "octopost_http_requests_total"
    by_template = {"route": "/v1/posts/{post_id}", "method": "GET"}
    assert value(samples, requests, **by_template, status="200") >= 3  # wait_for_status polled it too
    assert value(samples, requests, **by_template, status="404") == 1
    assert value(samples, requests, route="/v1/posts", method="POST", status="201") == 2
    assert value(samples, requests, route="unmatched", method="GET", status="404") >= 1
    routes = {dict(labels).get("route", "") for name, labels in samples if name == requests}
    assert not any(published.succeeded_post in route or published.failed_post in route for route in routes)


def test_the_metrics_token_is_required_when_set(ops_service: OctopostProcess) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {METRICS_TOKEN}"}):
        answer = httpx.get(f"{ops_service.url}/metrics", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["code"] == "unauthorized"
        assert METRICS_TOKEN not in answer.text
    # An API key is not a metrics token: /metrics is outside the /v1 keys.
    key = ops_service.new_key("ops-other")
    assert httpx.get(f"{ops_service.url}/metrics", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert "octopost_queue_due_targets" in str(scrape(ops_service.url, METRICS_TOKEN))


def test_metrics_are_open_without_a_token(octopost: OctopostProcess) -> None:
    samples = scrape(octopost.url, token=None)
    assert ("octopost_queue_due_targets", frozenset()) in samples
