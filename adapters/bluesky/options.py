"""What a Bluesky post can carry besides its text: ``platform_options.bluesky``, as app.bsky.feed.post takes it.

The languages go on every segment of a thread: each reply is a post record of its own, read (and filtered by
language in feeds) on its own.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from adapters.options import PlatformOptions

# A well-formed BCP 47 tag (RFC 5646: language, extlang, script, region, variants, extensions, private use), what the
# lexicon's "language" format means and the PDS checks; the primary subtag two or three lower-case letters, as
# atproto's strict reading wants it (so "English" or "EN" is refused, not sent as a language nobody filters by).
_BCP47 = (
    r"^(?:[a-z]{2,3}(?:-[A-Za-z]{3}){0,3}"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[xX](?:-[A-Za-z0-9]{1,8})+)$"
)
LanguageTag = Annotated[str, Meta(pattern=_BCP47)]


class BlueskyOptions(PlatformOptions, frozen=True):  # frozen again: mypy does not inherit it
    # The post's languages, most prominent first (app.bsky.feed.post#langs: at most 3).
    langs: Annotated[tuple[LanguageTag, ...], Meta(max_length=3)] | None = None


NO_OPTIONS = BlueskyOptions()
