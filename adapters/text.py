"""Text counting, one function per way platforms count. The only place that knows how lengths are measured."""

from __future__ import annotations

import re

import grapheme
from twitter_text import parse_tweet

from adapters.base import TextCounting, TextRules

# Mastodon's own URL pattern is broader; this covers what users paste (scheme://host...).
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# @user@domain counts as @user on Mastodon (only the local part is counted).
_REMOTE_MENTION = re.compile(r"(?<![\w@])(@[\w.]+)@[\w.-]+\w", re.UNICODE)


# A hashtag: "#" after a space or the start, then word characters (what Instagram links as a tag).
_HASHTAG = re.compile(r"(?<![\w&#])#\w+", re.UNICODE)


# Emoji code points, with the joiners and modifiers that build emoji sequences (each counted in bytes on Threads).
_EMOJI = re.compile("[\u200d\u20e3\ufe0f\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\U000e0020-\U000e007f]")


def emoji_bytes_length(text: str) -> int:
    """Characters, each emoji code point counting as its UTF-8 bytes (Threads: "emojis are counted as the number of
    UTF-8 bytes")."""
    return len(text) + sum(len(match.encode("utf-8")) - 1 for match in _EMOJI.findall(text))


def distinct_links(text: str) -> int:
    """How many different URLs ``text`` holds (a link written twice counts once, as Threads counts them)."""
    return len({match.rstrip(".,;:!?)") for match in _URL.findall(text)})


def hashtag_count(text: str) -> int:
    return len(_HASHTAG.findall(text))


def grapheme_length(text: str) -> int:
    return int(grapheme.length(text))


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_length(text: str) -> int:
    """UTF-16 code units: what JavaScript's ``length`` says (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def x_weighted_length(text: str) -> int:
    """X's weighted length per twitter-text: URLs 23, CJK and emoji 2, most Latin 1."""
    return int(parse_tweet(text).weightedLength)


def mastodon_length(text: str, url_length: int) -> int:
    """Mastodon's StatusLengthValidator: grapheme clusters, each URL as url_length, remote mentions local."""
    countable = _URL.sub("x" * url_length, text)
    countable = _REMOTE_MENTION.sub(r"\1", countable)
    return grapheme_length(countable)


def first_line(text: str, max_chars: int, *, at_word: bool = False) -> str:
    """The first line of ``text`` that has any, whitespace collapsed, cut with "…" to ``max_chars`` characters (at a
    word boundary in its second half, with ``at_word``); "" when there is none. Titles, thread names, questions."""
    line = next((" ".join(part.split()) for part in text.splitlines() if part.strip()), "")
    if len(line) <= max_chars:
        return line
    cut = line[: max_chars - 1]
    if at_word and " " in cut[max_chars // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def text_length(text: str, rules: TextRules) -> int:
    """The length of ``text`` as the platform whose rules these are counts it."""
    match rules.counting:
        case TextCounting.GRAPHEMES:
            return grapheme_length(text)
        case TextCounting.X_WEIGHTED:
            return x_weighted_length(text)
        case TextCounting.MASTODON:
            return mastodon_length(text, rules.url_length)
        case TextCounting.CODEPOINTS:
            return len(text)
        case TextCounting.UTF16:
            return utf16_length(text)
        case TextCounting.EMOJI_BYTES:
            return emoji_bytes_length(text)
    raise ValueError(f"unknown counting {rules.counting!r}")


def text_violation(text: str, rules: TextRules) -> str | None:
    """A human message when ``text`` is over the limit, else None."""
    length = text_length(text, rules)
    if length > rules.max_chars:
        return f"is {length} characters; the limit is {rules.max_chars} ({rules.counting.value})"
    if rules.max_bytes is not None:
        size = utf8_length(text)
        if size > rules.max_bytes:
            return f"is {size} bytes in UTF-8; the limit is {rules.max_bytes}"
    if rules.max_links is not None and (links := distinct_links(text)) > rules.max_links:
        return f"has {links} different links; the limit is {rules.max_links}"
    if rules.max_hashtags is not None and (tags := hashtag_count(text)) > rules.max_hashtags:
        return f"has {tags} hashtags; the limit is {rules.max_hashtags}"
    return None
