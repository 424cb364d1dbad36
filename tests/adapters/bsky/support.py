"""What the Bluesky adapter tests share: adapters on the real PDS, record keys, segments, facet texts, tokens."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx

from adapters.base import (
    MediaItem,
    PublishedRef,
    Segment,
)
from adapters.bluesky import BlueskyAdapter
from tests.peers.bluesky import BskyPds

POST = "app.bsky.feed.post"
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"  # an ISO-BMFF ftyp box: sniffed as video/mp4


def adapter_for(pds: BskyPds, credentials: dict[str, str], http: httpx.AsyncClient) -> BlueskyAdapter:
    return BlueskyAdapter.build(base_url=pds.url, credentials=credentials, http=http)


def rkey_of(ref: PublishedRef) -> str:
    assert ref.uri is not None
    return ref.uri.rsplit("/", 1)[-1]


def text_segment(text: str, index: int = 0, media: tuple[MediaItem, ...] = ()) -> Segment:
    return Segment(index=index, text=text, media=media)


def facet_texts(text: str, facets: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Each facet's covered text, cut from the UTF-8 bytes as any Bluesky client does, with its feature."""
    raw = text.encode("utf-8")
    return [(raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode("utf-8"), f["features"][0]) for f in facets]


def unsigned_jwt(did: str, scope: str, expires_in: int = 3600) -> str:
    """Well-formed and wrongly signed: what a PDS refuses with 400 InvalidToken (e.g. after its secret rotated)."""

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"scope": scope, "sub": did, "aud": "did:web:localhost", "iat": now, "exp": now + expires_in}
    return f"{part({'typ': 'at+jwt', 'alg': 'HS256'})}.{part(claims)}.{part({'sig': 'forged'})}"
