"""One Ziik content item (``POST /content``) from one Octopost post: the title, the body, when it is published (and
unpublished), the poll, comments, and the options.

The body is HTML: Ziik answers a post's body as ``"<p>...</p>"`` (docs.ziik.io, feed and search). The text is
escaped, each paragraph (a thread's segments arrive folded, separated by a blank line) becomes a ``<p>``, and a line
break inside a paragraph a ``<br>``. Nothing the user typed can become markup.

Ziik documents no limit for the body. We cap the text at ``MAX_BODY_CHARS`` code points, chosen so that the HTML it
renders to fits a 64 KiB text column (65,535 bytes) whatever the text holds: every code point renders to at most 5
bytes (``&`` → ``&amp;``; a 4-byte emoji; a line break → ``<br>``), plus the outer ``<p></p>``. The text is what
validation counts, and its limit guarantees the HTML's.
"""

from __future__ import annotations

import html
import re
import time
from typing import Any

from adapters.base import PublishRequest, ReplyPolicy
from adapters.text import first_line
from adapters.ziik.options import MAX_TITLE_CHARS, ZiikOptions

MAX_BODY_BYTES = 65_535  # a MySQL TEXT column: the smallest place a body is commonly kept (Ziik documents none)
_WORST_BYTES_PER_CHAR = 5  # "&" renders as "&amp;"
MAX_BODY_CHARS = (MAX_BODY_BYTES - len("<p></p>")) // _WORST_BYTES_PER_CHAR  # 13,105

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def body_html(text: str) -> str:
    """``text`` as Ziik's HTML body: escaped, a ``<p>`` per paragraph, ``<br>`` for a line break inside one."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip() for p in _BLANK_LINE.split(normalised) if p.strip()]
    return "".join(f"<p>{html.escape(p, quote=False).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def title_of(text: str, options: ZiikOptions | None) -> str:
    """The options' title, else the text's first line (whitespace collapsed; cut at a word with "…" past 255)."""
    if options is not None and options.title is not None:
        return options.title
    return first_line(text, MAX_TITLE_CHARS, at_word=True)


def publish_on(request: PublishRequest, now: float) -> int:
    """When Ziik publishes the item (Unix seconds): when the post was due, never later than now. A time at or before
    now publishes at once; a post published on demand before its scheduled time goes out now, as asked."""
    if request.scheduled_for is None:
        return int(now)
    return int(min(request.scheduled_for.timestamp(), now))


def comments_enabled(request: PublishRequest, options: ZiikOptions | None) -> bool | None:
    """Ziik's ``comments.enabled``: closed for reply policy "nobody", open for "everyone", else the options' choice
    (validation refuses the contradictions); None leaves Ziik's default."""
    if request.reply_policy == ReplyPolicy.NOBODY:
        return False
    if request.reply_policy == ReplyPolicy.EVERYONE:
        return True
    return options.comments_enabled if options is not None else None


def content_request(request: PublishRequest, *, now: float | None = None) -> dict[str, Any]:
    """The JSON of ``POST /content`` for the (folded) segment of ``request``."""
    now = time.time() if now is None else now
    options = request.options if isinstance(request.options, ZiikOptions) else None
    text = request.segment.text
    title = title_of(text, options)
    when = publish_on(request, now)
    content: dict[str, Any] = {
        "title": title,
        "body": body_html(text),
        # With files announced (fileCount), Ziik holds the publishing until the last one is uploaded.
        "publish": {"status": True, "publish_on": when},
    }
    if request.unpublish_at is not None:  # Ziik takes the item down then (Unix seconds, as publish_on)
        content["publish"]["unpublish_on"] = int(request.unpublish_at.timestamp())
    if options is not None:
        content.update(options.content_fields())
    comments = comments_enabled(request, options)
    if comments is not None:
        content["comments"] = {"enabled": comments}
    if request.poll is not None and request.is_main:
        # The poll opens with the post, which goes out now at the latest (publish_on is never later than now).
        content["poll"] = {
            "question": request.poll.question or title,
            "close_at": int(now) + request.poll.duration_minutes * 60,
            "choices": [{"title": option} for option in request.poll.options],
        }
    if request.segment.media:
        content["fileCount"] = len(request.segment.media)
    return content
