"""The states between a connect and its callback. The browser carries a random state; the server keeps what it
binds (workspace, the key's mode, platform, server, the PKCE verifier encrypted, where to send the user back) under
the state's SHA-256. A state is taken once: the single UPDATE that sets ``used_at`` where it is unused and
unexpired decides which callback may proceed, however many arrive at once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, update

from octopost.db import utcnow
from octopost.oauth.client import new_verifier
from octopost.oauth.tables import OAuthState
from octopost.runtime import Runtime

STATE_LIFETIME = timedelta(minutes=10)
_KEPT_AFTER_EXPIRY = timedelta(days=1)
_state = OAuthState.__table__  # type: ignore[attr-defined]


def state_id(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewState:
    state: str  # what the authorize URL carries: shown once, never stored
    verifier: str
    expires_at: datetime


async def new_state(
    runtime: Runtime,
    *,
    workspace_id: str,
    is_test: bool,
    platform: str,
    base_url: str,
    return_to: str | None,
    fields: dict[str, str] | None = None,
) -> NewState:
    state, verifier = secrets.token_urlsafe(32), new_verifier()
    now = utcnow()
    row = OAuthState(
        id=state_id(state),
        workspace_id=workspace_id,
        is_test=is_test,
        platform=platform,
        base_url=base_url,
        verifier_encrypted=runtime.cipher.encrypt({"verifier": verifier}),
        return_to=return_to,
        connect_fields=json.dumps(fields) if fields else None,
        created_at=now,
        expires_at=now + STATE_LIFETIME,
    )
    async with runtime.db.transaction() as session:
        # States nobody came back with are kept a day past their expiry (a late callback is told it expired).
        await session.exec(delete(_state).where(_state.c.expires_at < now - _KEPT_AFTER_EXPIRY))
        session.add(row)
    return NewState(state=state, verifier=verifier, expires_at=row.expires_at)


class Refusal(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Taken:
    row: OAuthState
    verifier: str

    @property
    def fields(self) -> dict[str, str]:
        return dict(json.loads(self.row.connect_fields)) if self.row.connect_fields else {}


async def take_state(runtime: Runtime, state: str) -> Taken | Refusal:
    """The state's binding, for the one callback that takes it; otherwise why it cannot be taken."""
    key, now = state_id(state), utcnow()
    async with runtime.db.transaction() as session:
        result = await session.exec(
            update(_state)
            .where(_state.c.id == key, _state.c.used_at.is_(None), _state.c.expires_at > now)
            .values(used_at=now)
        )
        row = await session.get(OAuthState, key)
    if row is None:
        return Refusal.UNKNOWN
    if not result.rowcount:
        return Refusal.USED if row.used_at is not None else Refusal.EXPIRED
    return Taken(row=row, verifier=runtime.cipher.decrypt(row.verifier_encrypted)["verifier"])


async def spend_state(runtime: Runtime, state: str) -> OAuthState | None:
    """Use up a state without connecting anything (the user denied access): it cannot be replayed later."""
    taken = await take_state(runtime, state)
    return taken.row if isinstance(taken, Taken) else None
