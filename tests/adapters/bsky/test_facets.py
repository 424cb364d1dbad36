"""Bluesky facets (links, mentions, tags at UTF-8 byte offsets) and error answers mapped to the taxonomy, without
a server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from atproto_client.exceptions import RequestErrorBase
from atproto_client.request import _handle_response

from adapters.base import (
    AdapterError,
    AuthExpired,
    ReauthRequired,
    Rejected,
    Transient,
)
from adapters.bluesky.errors import classify
from adapters.bluesky.facets import build_facets, mention_handles
from tests.adapters.bsky.support import facet_texts

# ---- facets, pure ---------------------------------------------------------------------------------------


def sdk_facets_as_json(text: str, dids: dict[str, str | None]) -> list[dict[str, Any]]:
    return [facet.model_dump(by_alias=True, exclude_none=True) for facet in build_facets(text, dids)]


def test_facet_byte_ranges_follow_utf8_not_characters() -> None:
    text = "Café ☕ 🇫🇷 — lire https://example.com/a?b=1. Salut @Bob.test, #octopost! et #日本語"
    facets = sdk_facets_as_json(text, {"bob.test": "did:plc:bob"})

    assert facet_texts(text, facets) == [
        ("https://example.com/a?b=1", {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/a?b=1"}),
        ("@Bob.test", {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bob"}),
        ("#octopost", {"$type": "app.bsky.richtext.facet#tag", "tag": "octopost"}),
        ("#日本語", {"$type": "app.bsky.richtext.facet#tag", "tag": "日本語"}),
    ]
    # The non-ASCII prefix makes byte and character offsets differ: a char-offset bug cannot pass the slices above.
    assert facets[0]["index"]["byteStart"] != text.index("https://")


def test_unresolved_mentions_get_no_facet_and_handles_are_deduplicated() -> None:
    text = "@ghost.test and @Known.test and @known.test again, mail me at someone@example.com"
    assert mention_handles(text) == ["ghost.test", "known.test"]

    facets = sdk_facets_as_json(text, {"ghost.test": None, "known.test": "did:plc:known"})

    assert [covered for covered, _ in facet_texts(text, facets)] == ["@Known.test", "@known.test"]


def test_bare_domains_become_https_links_and_plain_text_has_no_facets() -> None:
    assert sdk_facets_as_json("nothing to see here, 100% plain", {}) == []
    facets = sdk_facets_as_json("✨ docs at atproto.com/specs", {})
    assert facet_texts("✨ docs at atproto.com/specs", facets) == [
        ("atproto.com/specs", {"$type": "app.bsky.richtext.facet#link", "uri": "https://atproto.com/specs"})
    ]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": "ExpiredToken", "message": "Token has expired"}, AuthExpired),
        (401, {"error": "AuthenticationRequired", "message": "Authentication Required"}, AuthExpired),
        (400, {"error": "InvalidToken", "message": "Token could not be verified"}, ReauthRequired),
        (400, {"error": "AccountTakedown", "message": "Account has been taken down"}, ReauthRequired),
        (400, {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"}, Rejected),
        (413, {"error": "PayloadTooLarge", "message": "request entity too large"}, Rejected),
        (500, {"error": "InternalServerError", "message": "Internal Server Error"}, Transient),
        (502, {"error": "UpstreamFailure", "message": "Upstream Failure"}, Transient),
    ],
)
def test_error_answers_map_to_the_taxonomy(status: int, body: dict[str, str], expected: type[AdapterError]) -> None:
    """Answers the PDS gives (ExpiredToken, 5xx: hard to provoke on a healthy peer), raised as the SDK raises them."""
    answer = httpx.Response(status, json=body, request=httpx.Request("POST", "http://pds.invalid/xrpc/x"))
    with pytest.raises(RequestErrorBase) as raised:
        _handle_response(answer)  # the SDK's own response → exception step (private in atproto 0.0.73, pinned)

    error = classify(raised.value)

    assert type(error) is expected
    assert body["message"] in error.message
