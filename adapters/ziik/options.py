"""``platform_options.ziik``: what a Ziik post takes beyond its text, as Ziik's content API names it.

    {"title": "Q3 results",                  # the post's title (≤255); default: the first line of the text
     "group": 543,                           # post in this group ...
     "owner_unit": 12,                       # ... or to the organisation, from this unit of yours (not both)
     "visibility": {"all_units": false, "units": [2, 3], "units_falldown": [4], "userTypes": [1]},
     "important": true,                      # highlighted
     "pinned_until": "2030-01-31T12:00:00Z", # pinned in the feed until then
     "comments_enabled": false,              # default: Ziik's (open); reply_policy "nobody" closes them too
     "show_in_feed": true,
     "require_confirmation": true}           # readers are asked to confirm they read it

Neither ``group`` nor ``owner_unit`` is required: Ziik's content API marks both optional (without a group the post
goes to the organisation, from the author's unit; ``owner_unit`` chooses the unit when the author writes from
several).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from adapters.base import TextRules
from adapters.info import ReplyPolicy
from adapters.options import PlatformOptions

if TYPE_CHECKING:
    from adapters.validation import PostShape

MAX_TITLE_CHARS = 255  # Ziik: "Maximum string length: 255"

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TITLE_CHARS, pattern=r"\S")]
ZiikId = Annotated[int, msgspec.Meta(ge=1)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]


class ZiikVisibility(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, frozen=True):
    """Who in the organisation sees the post: units, units with their sub-units, user types (Ziik's ids)."""

    all_units: bool | None = None
    units: list[ZiikId] | None = None
    units_falldown: list[ZiikId] | None = None
    user_types: list[ZiikId] | None = msgspec.field(default=None, name="userTypes")


class ZiikOptions(PlatformOptions, frozen=True):
    title: Title | None = None
    group: ZiikId | None = None
    owner_unit: ZiikId | None = None
    visibility: ZiikVisibility | None = None
    important: bool | None = None
    pinned_until: Moment | None = None
    comments_enabled: bool | None = None
    show_in_feed: bool | None = None
    require_confirmation: bool | None = None

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        found = []
        if self.group is not None and self.owner_unit is not None:
            found.append(
                "group and owner_unit cannot both be given: a Ziik post goes to a group, or to the organisation "
                "from one of your units"
            )
        policy = post.reply_policy
        if self.comments_enabled and policy == ReplyPolicy.NOBODY:
            found.append("comments_enabled is true but reply_policy 'nobody' closes the post's comments")
        if self.comments_enabled is False and policy == ReplyPolicy.EVERYONE:
            found.append("comments_enabled is false but reply_policy 'everyone' opens the post's comments")
        if self.pinned_until is not None and self.pinned_until <= datetime.now(UTC):
            found.append(f"pinned_until {self.pinned_until.isoformat()} is not in the future")
        return found

    def content_fields(self) -> dict[str, Any]:
        """These options as fields of Ziik's ``POST /content`` (the title and comments are the composer's)."""
        fields: dict[str, Any] = {}
        if self.group is not None:
            fields["group"] = self.group
        if self.owner_unit is not None:
            fields["owner_unit"] = self.owner_unit
        if self.visibility is not None:
            fields["visibility"] = msgspec.to_builtins(self.visibility)  # Ziik's key names ("userTypes")
        if self.important is not None:
            fields["important"] = self.important
        if self.pinned_until is not None:
            fields["pinned"] = {"until": int(self.pinned_until.timestamp())}  # Ziik's times are Unix seconds
        if self.show_in_feed is not None:
            fields["show_in_feed"] = self.show_in_feed
        if self.require_confirmation is not None:
            fields["confirm"] = {"enabled": self.require_confirmation}
        return fields
