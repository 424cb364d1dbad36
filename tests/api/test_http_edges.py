"""What schemathesis found at the HTTP edge, pinned down: Allow on OPTIONS and 405 answers, a public /healthz."""

from __future__ import annotations

import httpx

from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess


def test_options_lists_every_method_of_the_path(octopost: OctopostProcess, api: httpx.Client) -> None:
    for path, methods in [
        ("/v1/posts", "GET, OPTIONS, POST"),
        ("/v1/posts/post_x", "DELETE, GET, OPTIONS, PUT"),
        ("/v1/posts/post_x/publish", "OPTIONS, POST"),
    ]:
        answer = api.options(path)
        assert answer.status_code == 204
        assert answer.headers["allow"] == methods


def test_a_method_the_path_lacks_is_a_405_with_allow(api: httpx.Client) -> None:
    answer = api.request("TRACE", "/v1/posts")
    assert_error(answer, 405, "bad_request")
    assert set(answer.headers["allow"].split(", ")) >= {"GET", "POST"}


def test_healthz_is_documented_as_public(octopost: OctopostProcess) -> None:
    document = httpx.get(f"{octopost.url}/schema/openapi.json").json()
    healthz = document["paths"]["/healthz"]["get"]
    assert healthz["security"] == []  # the document's global BearerAuth does not apply
    assert {"200", "503"} <= set(healthz["responses"])
    assert document["paths"]["/v1/posts"]["get"].get("security") is None  # the rest keeps the global one
    assert document["security"] == [{"BearerAuth": []}]
