"""The small pages a browser sees at the end of an OAuth connect, and the redirect back to the caller's app.

The callback URL carries the authorization code, so every answer keeps it out of caches and referrers, and the
pages load nothing (no scripts, no remote styles): all they hold is text, escaped.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import MediaType, Response
from litestar.response import Redirect

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} · Octopost</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style>
</head><body><h1>{title}</h1><p>{message}</p></body></html>
"""


def page(title: str, message: str, *, status_code: int) -> Response[str]:
    body = _PAGE.format(title=escape(title), message=escape(message))
    return Response(body, status_code=status_code, media_type=MediaType.HTML, headers=_HEADERS)


def back_to(return_to: str, account_id: str) -> Redirect:
    """``return_to`` with ``account_id`` added to its query (anything already there is kept)."""
    parts = urlsplit(return_to)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), ("account_id", account_id)])
    return Redirect(urlunsplit(parts._replace(query=query)), status_code=303, headers=_HEADERS)
