"""The dashboard's session cookie: the signed-in API key, sealed (encrypted and authenticated) for the browser.

The cookie holds ``{"sid": <random>, "key": <API key or null>}`` sealed with Fernet (AES-CBC + HMAC-SHA256). Its
key is derived with HKDF from the secret key under a label of its own, so the key that encrypts platform
credentials at rest is never used for anything else. The CSRF token is an HMAC of the session id under a second
derived key: it is bound to one session, and changes when signing in starts a new one.

A visitor who has not signed in still gets a session (without a key) so the sign-in form carries a token too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

COOKIE = "octopost_session"
COOKIE_PATH = "/app"
# A session lasts a working day; the key is checked against the database on every request regardless.
MAX_AGE_SECONDS = 12 * 3600


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


@dataclass(frozen=True)
class Session:
    sid: str
    key: str | None = None

    @classmethod
    def anonymous(cls) -> Session:
        return cls(sid=secrets.token_urlsafe(18))

    @classmethod
    def signed_in(cls, key: str) -> Session:
        return cls(sid=secrets.token_urlsafe(18), key=key)  # a new id: a session planted before sign-in is useless


class SessionSeal:
    """Seals and opens session cookies, and makes and checks their CSRF tokens."""

    def __init__(self, secret: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"octopost-dashboard-session-v1")))
        self._csrf_key = _derive(secret, b"octopost-dashboard-csrf-v1")

    def seal_data(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def open_data(self, sealed: str | None, *, ttl: int = MAX_AGE_SECONDS) -> dict[str, Any] | None:
        """What ``sealed`` holds; None when missing, tampered with, sealed by another key, or older than ttl."""
        if not sealed:
            return None
        try:
            data = json.loads(self._fernet.decrypt(sealed.encode(), ttl=ttl))
        except (InvalidToken, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def seal(self, session: Session) -> str:
        return self.seal_data({"sid": session.sid, "key": session.key})

    def open(self, cookie: str | None) -> Session | None:
        data = self.open_data(cookie)
        if data is None or not isinstance(data.get("sid"), str):
            return None  # not a session (a flash message is sealed the same way but has no sid)
        key = data.get("key")
        return Session(sid=data["sid"], key=key if isinstance(key, str) else None)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session), str(token))


@lru_cache(maxsize=4)
def seal_for(secret: str) -> SessionSeal:
    """One seal per secret key (the key derivations run once per process)."""
    return SessionSeal(secret)
