"""A video's metadata as videos.insert takes it (``snippet`` and ``status``), from the segment's text and the
post's ``platform_options.youtube``: YouTube's rules for titles (≤100 characters, not empty) and descriptions
(≤5,000 bytes), neither with ``<`` or ``>``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from adapters.options import PlatformOptions

if TYPE_CHECKING:
    from adapters.info import TextRules
    from adapters.validation import PostShape

MAX_TITLE_CHARS = 100
MAX_DESCRIPTION_BYTES = 5000
MAX_TAGS_CHARS = 500  # all tags together (YouTube counts a tag with a space as if quoted: +2)
FORBIDDEN = ("<", ">")


class YouTubeOptions(PlatformOptions, frozen=True):  # frozen again: mypy does not inherit it
    """``platform_options.youtube``: the title (else the text's first line), who sees the video, its category,
    tags and whether it is made for kids (YouTube asks every upload to say so)."""

    title: str | None = None
    privacy_status: Literal["private", "unlisted", "public"] = "public"
    category_id: str | None = None
    tags: tuple[str, ...] = ()
    made_for_kids: bool = False

    def problems(self, post: PostShape, text: TextRules) -> list[str]:
        found = []
        if self.title is not None:
            found += title_problems(self.title, "platform_options.youtube.title")
        if post.segments:
            main = post.segments[0]
            found += description_problems(main.text)
            if self.title is None:
                found += title_problems(title_of(main.text, None), "the title (the text's first line)")
            if main.videos != 1:
                found.append(f"a YouTube post is one video; the main post has {main.videos}")
        tags = sum(len(tag) + (2 if " " in tag else 0) for tag in self.tags) + max(0, len(self.tags) - 1)
        if tags > MAX_TAGS_CHARS:
            found.append(f"platform_options.youtube.tags are {tags} characters together; at most {MAX_TAGS_CHARS}")
        if any(mark in tag for tag in self.tags for mark in FORBIDDEN):
            found.append("platform_options.youtube.tags may not contain < or >")
        return found


def title_problems(title: str, what: str) -> list[str]:
    found = []
    if not title.strip():
        found.append(f"{what} is empty; a YouTube video needs a title")
    if len(title) > MAX_TITLE_CHARS:
        found.append(f"{what} is {len(title)} characters; at most {MAX_TITLE_CHARS}")
    if any(mark in title for mark in FORBIDDEN):
        found.append(f"{what} may not contain < or >")
    return found


def description_problems(text: str) -> list[str]:
    found = []
    size = len(text.encode())
    if size > MAX_DESCRIPTION_BYTES:
        found.append(f"the description is {size:,} bytes in UTF-8; YouTube takes at most {MAX_DESCRIPTION_BYTES:,}")
    if any(mark in text for mark in FORBIDDEN):
        found.append("the description may not contain < or > (YouTube refuses them)")
    return found


def title_of(text: str, options: YouTubeOptions | None) -> str:
    if options is not None and options.title is not None:
        return options.title
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def problems(text: str, options: YouTubeOptions | None) -> list[str]:
    """Everything YouTube would refuse in the metadata of a video with this text and these options."""
    what = "the title (the text's first line)" if options is None or options.title is None else "the title"
    return title_problems(title_of(text, options), what) + description_problems(text)


def video_resource(text: str, options: YouTubeOptions | None) -> dict[str, Any]:
    """The Video resource of videos.insert (parts snippet and status)."""
    chosen = options or YouTubeOptions()
    snippet: dict[str, Any] = {"title": title_of(text, chosen), "description": text}
    if chosen.category_id:
        snippet["categoryId"] = chosen.category_id
    if chosen.tags:
        snippet["tags"] = list(chosen.tags)
    status = {"privacyStatus": chosen.privacy_status, "selfDeclaredMadeForKids": chosen.made_for_kids}
    return {"snippet": snippet, "status": status}
