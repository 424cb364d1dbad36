"""X-Request-Id on every answer of a real `octopost serve`: a sane incoming id is echoed, an unusable one replaced,
and errors (401, 404 of an unknown route, 422) carry one too."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.peers.app import OctopostProcess

_OURS = re.compile(r"[0-9a-f]{32}")


def test_an_id_is_made_for_a_request_without_one(octopost: OctopostProcess, api: httpx.Client) -> None:
    first = api.get("/v1/posts").headers["x-request-id"]
    second = api.get("/v1/posts").headers["x-request-id"]
    assert _OURS.fullmatch(first)
    assert _OURS.fullmatch(second)
    assert first != second


def test_a_sane_incoming_id_is_echoed(api: httpx.Client) -> None:
    for incoming in ("abc-123", "0f8e2c1a-5d7b-4c39-9a61-2b8e7d4f6c10", "proxy.request:42@edge"):
        assert api.get("/v1/posts", headers={"X-Request-Id": incoming}).headers["x-request-id"] == incoming


@pytest.mark.parametrize("incoming", ["has spaces", "quote\"d", "x" * 129, "", "semi;colon", "émoji-🙂"])
def test_an_unusable_incoming_id_is_replaced(api: httpx.Client, incoming: str) -> None:
    answer = api.get("/v1/posts", headers={"X-Request-Id": incoming.encode()})
    assert answer.status_code == 200
    assert _OURS.fullmatch(answer.headers["x-request-id"]), answer.headers["x-request-id"]
    assert len(answer.headers.get_list("x-request-id")) == 1


def test_errors_carry_the_request_id_too(octopost: OctopostProcess, api: httpx.Client) -> None:
    unauthorized = httpx.get(f"{octopost.url}/v1/posts", headers={"X-Request-Id": "req-401"})
    assert unauthorized.status_code == 401
    assert unauthorized.headers["x-request-id"] == "req-401"
    unknown = httpx.get(f"{octopost.url}/no/such/route", headers={"X-Request-Id": "req-404"})
    assert unknown.status_code == 404
    assert unknown.headers["x-request-id"] == "req-404"
    assert unknown.json()["code"] == "not_found"
    invalid = api.post("/v1/posts", json={"content": ""}, headers={"X-Request-Id": "req-422"})
    assert invalid.status_code == 422
    assert invalid.headers["x-request-id"] == "req-422"
