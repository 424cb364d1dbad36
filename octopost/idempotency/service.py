"""Idempotency-Key, with Stripe's semantics: the first response to a key is the answer to every retry.

- Same key, same request (method, path, canonical JSON body) from the same workspace and mode: the stored
  status and body are replayed (with ``Idempotent-Replayed: true``); the request does not run again.
- Same key, different request: 422 validation_error. Still running elsewhere: 409 conflict.
- What is stored: a 2xx, and a 4xx that is the request's answer (400, 404, 422). Not stored (the key is
  released, a retry runs again), because retrying could succeed: 409 (the post changed meanwhile or its
  status did not allow it yet), 429, 5xx and an unexpected error. Requests refused before the handler began
  (401, 403, 415, 429, a body that does not decode) never touch the key, as at Stripe.
- Records are kept 24 hours (then purged, lazily on reuse and by the scheduler's housekeeping job). A request
  that died while running (its worker crashed) frees its key after LOCK_TIMEOUT.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import msgspec

from octopost.db import Database, utcnow
from octopost.errors import Conflict, DomainError, ValidationFailed
from octopost.idempotency import repository
from octopost.idempotency.tables import IdempotencyRecord

T = TypeVar("T")
log = logging.getLogger("octopost.idempotency")

RETENTION = timedelta(hours=24)
LOCK_TIMEOUT = timedelta(minutes=15)  # far longer than any request runs (its outbound calls time out sooner)
_NOT_STORED = frozenset({409, 429})


class IdempotentReplay(Exception):
    """The stored response to an earlier request with this key (turned into the HTTP answer at the edge)."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"replay of a {status} response")
        self.status = status
        self.body = body


def request_fingerprint(body: bytes) -> str:
    """sha256 of the body as canonical JSON (key order and spacing do not matter); raw bytes otherwise."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def _stores(status: int) -> bool:
    return 200 <= status < 300 or (400 <= status < 500 and status not in _NOT_STORED)


@dataclass
class _Lock:
    record_id: int
    locked_at: datetime


@dataclass(frozen=True)
class Idempotency:
    """One request's idempotency: ``run`` executes the handler's work at most once per key."""

    db: Database
    workspace_id: str
    is_test: bool
    key: str | None  # None: no Idempotency-Key header, nothing to do
    method_path: str
    request_sha256: str
    success_status: int
    clock: Callable[[], datetime] = utcnow

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        if self.key is None:
            return await call()
        lock = await self._acquire(self.key)
        try:
            result = await call()
        except DomainError as exc:
            if _stores(exc.status_code):
                body = {"error": exc.message, "code": exc.code, "details": exc.details}
                await self._finish(lock, exc.status_code, msgspec.json.encode(body))
            else:
                await self._release(lock)
            raise
        except BaseException:
            await self._release(lock)
            raise
        await self._finish(lock, self.success_status, msgspec.json.encode(result))
        return result

    async def _acquire(self, key: str) -> _Lock:
        for _ in range(3):  # a record can vanish (purged) or be restarted between the insert and the read
            now = self.clock()
            async with self.db.transaction() as session:
                record_id = await repository.try_lock(
                    session,
                    workspace_id=self.workspace_id,
                    is_test=self.is_test,
                    key=key,
                    method_path=self.method_path,
                    request_sha256=self.request_sha256,
                    now=now,
                )
                if record_id is not None:
                    return _Lock(record_id, now)
                record = await repository.find(session, self.workspace_id, self.is_test, key)
                if record is not None and self._restartable(record, now):
                    if await repository.take_over(
                        session, record, method_path=self.method_path, request_sha256=self.request_sha256, now=now
                    ):
                        assert record.id is not None
                        return _Lock(record.id, now)
                    continue  # someone else restarted it first: look again
            if record is not None:
                self._answer_from(record, key)
        raise Conflict(f"Idempotency-Key {key!r} is being reused concurrently; retry", {"idempotency_key": key})

    def _restartable(self, record: IdempotencyRecord, now: datetime) -> bool:
        if record.created_at <= now - RETENTION:
            return True  # expired: the key is free again
        same_request = (record.request_method_path, record.request_sha256) == (self.method_path, self.request_sha256)
        abandoned = record.state == repository.LOCKED and record.created_at <= now - LOCK_TIMEOUT
        return same_request and abandoned

    def _answer_from(self, record: IdempotencyRecord, key: str) -> None:
        """Replay the stored response, or say why not (a different request, or one still running)."""
        if record.request_method_path != self.method_path or record.request_sha256 != self.request_sha256:
            first = record.request_method_path
            how = "with another body" if first == self.method_path else f"for {first}"
            raise ValidationFailed(
                f"Idempotency-Key {key!r} was already used for a different request ({how});"
                " use a new key for a new request",
                {"errors": ["Idempotency-Key: reused with different parameters"], "idempotency_key": key},
            )
        if record.state != repository.COMPLETE or record.response_status is None:
            raise Conflict(
                f"A request with Idempotency-Key {key!r} is still being processed; retry once it finished",
                {"idempotency_key": key},
            )
        log.info("idempotent replay", extra={"idempotency_key": key, "status": record.response_status})
        raise IdempotentReplay(record.response_status, (record.response_body or "").encode())

    async def _finish(self, lock: _Lock, status: int, body: bytes) -> None:
        async with self.db.transaction() as session:
            await repository.complete(session, lock.record_id, lock.locked_at, status, body.decode(), self.clock())

    async def _release(self, lock: _Lock) -> None:
        async with self.db.transaction() as session:
            await repository.release(session, lock.record_id, lock.locked_at)


async def purge_expired(db: Database, now: datetime | None = None) -> int:
    """Delete records past their 24 hours; returns how many went."""
    async with db.transaction() as session:
        return await repository.purge_created_before(session, (now or utcnow()) - RETENTION)
