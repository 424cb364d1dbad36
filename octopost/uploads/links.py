"""Our media URLs: the ``url`` of an upload (what posts name) and the signed, expiring public URL platforms fetch.

``{public_url}/v1/media/{id}/file.{ext}``: the extension lets a segment's bare ``media_urls`` tell a video from an
image as any URL does. The public URL carries an HMAC of id and expiry under a key derived from the app's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from octopost.settings import Settings

_OWN_PATH = re.compile(r"/v1/media/(med_[0-9a-z]{20})/file\.[0-9a-z]{2,5}")
PUBLIC_PATH = "/public/media"


def media_url(settings: Settings, media_id: str, extension: str) -> str:
    return f"{settings.public_url}/v1/media/{media_id}/file.{extension}"


def own_prefix(settings: Settings) -> str:
    return f"{settings.public_url}/v1/media/"


def own_media_id(settings: Settings, url: str) -> str | None:
    """The upload a URL names when it is one of ours (None for any other URL)."""
    prefix = settings.public_url
    if not url.startswith(own_prefix(settings)):
        return None
    match = _OWN_PATH.fullmatch(url[len(prefix) :])
    return match.group(1) if match else None


def _key(settings: Settings) -> bytes:
    return hashlib.sha256(b"octopost public media url\0" + settings.secret_key_material().encode()).digest()


def _signature(settings: Settings, media_id: str, expires: int) -> str:
    return hmac.new(_key(settings), f"{media_id}.{expires}".encode(), hashlib.sha256).hexdigest()


def signed_public_url(settings: Settings, media_id: str, ttl_seconds: float, now: float | None = None) -> str:
    """A URL anyone may GET for ``ttl_seconds`` (for platforms that fetch media themselves); unguessable."""
    expires = int((now if now is not None else time.time()) + ttl_seconds)
    signature = _signature(settings, media_id, expires)
    return f"{settings.public_url}{PUBLIC_PATH}/{media_id}?expires={expires}&signature={signature}"


def signature_valid(settings: Settings, media_id: str, expires: int, signature: str) -> bool:
    if expires < time.time():
        return False
    return hmac.compare_digest(_signature(settings, media_id, expires), signature)
