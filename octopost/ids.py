"""Identifiers: prefixed random ids for API objects, TIDs for delivery idempotency keys."""

from __future__ import annotations

import secrets
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as AT Protocol TIDs


def new_id(prefix: str, length: int = 20) -> str:
    # One draw of the whole number, then base 36: as uniform as a choice per character, at a tenth of the cost
    # (a few ids are made on every create; secrets.choice per character was ~50 µs of each request).
    value = secrets.randbelow(36**length)
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 36)
        chars.append(_ALPHABET[digit])
    return f"{prefix}_" + "".join(chars)


_tid_lock = threading.Lock()
_last_micros = 0
_clock_id = secrets.randbelow(1024)


def new_tid() -> str:
    """A 13-char TID: microseconds since epoch + a random clock id, strictly increasing in this process.

    Used as the per-(target, segment) idempotency key: Bluesky takes it as the record key (so a resumed
    worker can look the record up) and Mastodon as the Idempotency-Key.
    """
    global _last_micros
    with _tid_lock:
        micros = max(time.time_ns() // 1000, _last_micros + 1)
        _last_micros = micros
    value = (micros << 10) | _clock_id
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
