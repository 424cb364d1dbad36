"""``platform_options.amity``: where the post goes (a user's feed or a community's), its tags, metadata, search
visibility and the users it mentions. Limits as Amity's create-post API documents them (tags: at most 5 of at most
24 characters; ids: at most 900 characters; user ids: at most 50, as sessions take them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from msgspec import Meta

from adapters.base import TextRules
from adapters.options import PlatformOptions
from adapters.text import utf16_length

if TYPE_CHECKING:
    from adapters.validation import PostShape

MAX_TAGS = 5
MAX_TAG_CHARS = 24

Tag = Annotated[str, Meta(min_length=1, max_length=MAX_TAG_CHARS)]
UserId = Annotated[str, Meta(min_length=1, max_length=50)]
TargetId = Annotated[str, Meta(min_length=1, max_length=900)]


class AmityOptions(PlatformOptions, kw_only=True, frozen=True):
    # "user": the connected user's own feed (or target_id's); "community": the community target_id names.
    target_type: Literal["user", "community"] = "user"
    target_id: TargetId | None = None
    tags: Annotated[tuple[Tag, ...], Meta(max_length=MAX_TAGS)] = ()
    metadata: dict[str, Any] | None = None  # Amity's free-form custom fields of the post
    discoverable: bool | None = None  # isDiscoverable: shown in search and hashtag feeds (Amity's default: yes)
    mention_user_ids: tuple[UserId, ...] = ()  # notified of the main post (mentionees)

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        found = []
        if self.target_type == "community" and self.target_id is None:
            found.append("target_id is required when target_type is 'community' (the community's id)")
        # Meta counts code points; Amity (Node) counts UTF-16 code units, where an emoji is 2.
        found.extend(
            f"tags[{n}] is {utf16_length(tag)} UTF-16 code units; the limit is {MAX_TAG_CHARS}"
            for n, tag in enumerate(self.tags)
            if utf16_length(tag) > MAX_TAG_CHARS
        )
        return found
