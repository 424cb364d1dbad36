"""Bluesky rich text: where the links, mentions and hashtags of a post sit, as UTF-8 byte ranges. Pure.

Detection is the atproto SDK's port of the official TypeScript ``detectFacets`` (same regexes, same
trailing-punctuation and TLD rules), so our posts render as the Bluesky app's own would. What this module
adds: mentions become facets only once their handle resolved to a DID (the caller resolves, this stays
pure), handles are matched case-insensitively, and overlapping ranges are dropped (the spec forbids them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeAlias

from atproto_client import models
from atproto_client.utils import facet_detection

Facet: TypeAlias = models.AppBskyRichtextFacet.Main


def mention_handles(text: str) -> list[str]:
    """The handles ``text`` mentions (lower-cased, without ``@``, first occurrence order): what to resolve."""
    return list(dict.fromkeys(mention.handle.lower() for mention in facet_detection.detect_mentions(text)))


def build_facets(text: str, dids: Mapping[str, str | None]) -> list[Facet]:
    """Links, tags and resolved mentions of ``text``, sorted by byte offset.

    ``dids`` maps lower-cased handles to DIDs; a mention whose handle is missing or maps to None gets no facet
    (it stays plain text, as in the Bluesky app).
    """
    facets = list(facet_detection.detect_facets(text))
    for mention in facet_detection.detect_mentions(text):
        did = dids.get(mention.handle.lower())
        if did:
            facets.append(
                Facet(
                    features=[models.AppBskyRichtextFacet.Mention(did=did)],
                    index=models.AppBskyRichtextFacet.ByteSlice(
                        byte_start=mention.byte_start, byte_end=mention.byte_end
                    ),
                )
            )
    return _without_overlaps(facets)


def _without_overlaps(facets: Iterable[Facet]) -> list[Facet]:
    kept: list[Facet] = []
    for facet in sorted(facets, key=lambda f: (f.index.byte_start, -f.index.byte_end)):
        if kept and facet.index.byte_start < kept[-1].index.byte_end:
            continue  # inside an earlier facet (e.g. a "#tag" within a link): the first one wins
        kept.append(facet)
    return kept
