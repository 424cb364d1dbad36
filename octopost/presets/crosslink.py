"""The cross-link a preset adds to the other platforms' text once its primary platform's post exists: the template
filled with the primary post's URL, appended to the main post as its own paragraph."""

from __future__ import annotations

import string

PLACEHOLDERS = frozenset({"platform", "link", "title", "excerpt"})
DEFAULT_TEMPLATE = "Also on {platform}: {link}"
MAX_TEMPLATE_CHARS = 500
_EXCERPT_CHARS = 100


# Stand-ins for the primary post's URL while it does not exist yet, as long as the platform's real ones, so a
# platform's limit is checked with the link it will carry (X and Mastodon count any URL as 23 anyway).
_URL_FOR_COUNTING = {
    "bluesky": "https://bsky.app/profile/someone.bsky.social/post/3lbcdefghijk2",
    "mastodon": "https://mastodon.social/@someone/113527489024589312",
    "twitter": "https://x.com/someone/status/1863000000000000000",
}
_OTHER_URL_FOR_COUNTING = "https://example.social/someone/posts/1863000000000000000"


def url_for_counting(primary_platform: str) -> str:
    return _URL_FOR_COUNTING.get(primary_platform, _OTHER_URL_FOR_COUNTING)


def template_problems(template: str) -> list[str]:
    """What is wrong with a template: unknown placeholders, broken braces, no {link} (a cross-link without the link
    would only add noise), too long."""
    problems = []
    try:
        fields = {name for _, name, spec, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        return [f"cross_link_template: {exc} (write a literal brace as {{{{ or }}}})"]
    unknown = sorted(fields - PLACEHOLDERS)
    if unknown:
        problems.append(f"cross_link_template: unknown placeholder(s) {unknown}; use {', '.join(sorted(PLACEHOLDERS))}")
    if "link" not in fields:
        problems.append("cross_link_template: must contain {link}")
    if len(template) > MAX_TEMPLATE_CHARS:
        problems.append(f"cross_link_template: is {len(template)} characters; at most {MAX_TEMPLATE_CHARS}")
    return problems


def with_cross_link(content: str, template: str, *, platform_name: str, link: str) -> str:
    """``content`` followed by the filled template. {title} is the post's first line; {excerpt} its start."""
    first_line = content.strip().splitlines()[0] if content.strip() else ""
    flat = " ".join(content.split())
    excerpt = flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1].rstrip() + "…"
    filled = template.format(platform=platform_name, link=link, title=first_line, excerpt=excerpt)
    return f"{content.rstrip()}\n\n{filled}"
