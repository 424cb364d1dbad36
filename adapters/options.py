"""The base of every platform's ``platform_options`` schema (``PlatformInfo.options``).

A platform's options are a msgspec Struct: unknown keys and wrong types are refused when the post is created or
updated (the API answers 422 naming the platform and the field), and the decoded Struct reaches the adapter in
``PublishRequest.options``. Rules that need the rest of the post (a GIF only without other media, say) go in
``problems``, which validation calls with the post's shape and the text rules in force.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from adapters.info import TextRules
    from adapters.validation import PostShape


class PlatformOptions(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, frozen=True):
    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        """What these options cannot go with in ``post`` (each a sentence naming the field); none by default.
        ``text``: the text rules in force (an instance's own limit, where the platform has one)."""
        return []
