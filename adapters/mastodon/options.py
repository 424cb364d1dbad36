"""What a Mastodon status can carry besides its text: ``platform_options.mastodon``, as POST /api/v1/statuses takes it.

Every segment of a thread gets the same options. A reply is read on its own (in notifications, on the account's
page, in a reader's home feed), so a content warning or a narrower audience on the main post alone would show the
rest of the thread to people the main post keeps it from; and a reply may carry media to hide as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from adapters.base import TextRules
from adapters.options import PlatformOptions
from adapters.text import grapheme_length, text_length

if TYPE_CHECKING:
    from adapters.validation import PostShape

# Who sees the status: everyone and the public timelines; everyone but not the public timelines; followers;
# the accounts it mentions. Omitted: the account's default.
Visibility = Literal["public", "unlisted", "private", "direct"]
# An ISO 639-1 (two letters) or 639-3 (three) code; Mastodon also knows a few regional forms (pt-BR, zh-TW).
Language = Annotated[str, Meta(pattern=r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")]


class MastodonOptions(PlatformOptions, frozen=True):  # frozen again: mypy does not inherit it
    visibility: Visibility | None = None
    spoiler_text: str | None = None  # a content warning: the text is folded behind it
    sensitive: bool | None = None  # the media are hidden until clicked (always so behind a content warning)
    language: Language | None = None  # else Mastodon guesses, or uses the account's posting language

    def counted_length(self, text: str, rules: TextRules) -> int:
        """How long the instance counts a status of ``text`` with these options: Mastodon counts the content
        warning's graphemes together with the text (its StatusLengthValidator), against the one limit."""
        return grapheme_length(self.spoiler_text or "") + text_length(text, rules)

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        if not self.spoiler_text:
            return []
        found = []
        for index, segment in enumerate(post.segments):
            length = self.counted_length(segment.text, text)
            if length > text.max_chars:
                where = "content" if index == 0 else f"segments[{index - 1}]"
                found.append(
                    f"spoiler_text: {where} is {length} characters with its content warning (Mastodon counts both); "
                    f"the limit is {text.max_chars}"
                )
        return found


NO_OPTIONS = MastodonOptions()
