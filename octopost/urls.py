"""Checks on user-supplied URLs before anything is fetched from them."""

from __future__ import annotations

from urllib.parse import urlsplit

from octopost.errors import ValidationFailed


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_base_url(value: str) -> str:
    if not is_http_url(value):
        raise ValidationFailed.of([f"base_url must be an http(s) URL, got {value!r}"])
    return value.rstrip("/")
