"""LinkedIn's commentary is "little text format": some characters mean markup (mentions ``@[Name](urn)``, hashtags
``{hashtag|\\#|tag}``, ``<`` and ``>`` templates), and LinkedIn drops the text from an unescaped one on. Every one
of them is escaped with a backslash, so the text people see is exactly what was written.

The ~3,000-character limit counts the text as people see it (before escaping): escaping can double the length on
the wire without making a post too long.
"""

from __future__ import annotations

MAX_COMMENTARY_CHARS = 3000
RESERVED = frozenset("|{}@[]()<>#\\*_~")


def escape(text: str) -> str:
    return "".join(f"\\{char}" if char in RESERVED else char for char in text)
