"""API keys: create (the secret is shown once), list, revoke, and resolve a presented key to its workspace."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Table, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from octopost.crypto import sha256_hex
from octopost.db import Database, utcnow
from octopost.errors import NotFound, Unauthorized
from octopost.ids import new_id
from octopost.keys.scopes import check_scopes
from octopost.keys.tables import ApiKey, Workspace

KEY_PREFIXES = {"live": "oct_live_", "test": "oct_test_"}
DEFAULT_WORKSPACE = "default"
# last_used_at is a hint, not an audit log: write it at most this often per key to keep reads cheap.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key and its workspace. Everything a request touches is scoped by this."""

    key_id: str
    workspace_id: str
    mode: str
    scopes: tuple[str, ...]

    @property
    def is_test(self) -> bool:
        return self.mode == "test"


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str


async def _workspace_named(session: AsyncSession, name: str) -> Workspace:
    found = (await session.exec(select(Workspace).where(Workspace.name == name))).first()
    if found:
        return found
    workspace = Workspace(id=new_id("ws"), name=name)
    session.add(workspace)
    await session.flush()
    return workspace


async def create_key(
    db: Database, *, name: str, workspace: str = DEFAULT_WORKSPACE, mode: str = "live", scopes: list[str] | None = None
) -> CreatedKey:
    if mode not in KEY_PREFIXES:
        raise ValueError(f"mode must be one of {sorted(KEY_PREFIXES)}")
    scopes = check_scopes(scopes or [])
    secret = KEY_PREFIXES[mode] + secrets.token_urlsafe(32)
    async with db.transaction() as session:
        ws = await _workspace_named(session, workspace)
        key = ApiKey(
            id=new_id("key"),
            workspace_id=ws.id,
            name=name,
            mode=mode,
            scopes=scopes,
            secret_sha256=sha256_hex(secret),
            prefix=secret[:14],
        )
        session.add(key)
    return CreatedKey(key=key, secret=secret)


async def list_keys(db: Database) -> list[tuple[ApiKey, str]]:
    async with db.session() as session:
        rows = await session.exec(select(ApiKey, Workspace.name).join(Workspace).order_by(col(ApiKey.created_at)))
        return [(key, ws_name) for key, ws_name in rows.all()]


async def revoke_key(db: Database, key_id: str) -> None:
    async with db.transaction() as session:
        result = await session.exec(
            update(ApiKey).where(col(ApiKey.id) == key_id, col(ApiKey.revoked_at).is_(None)).values(revoked_at=utcnow())
        )
        if not result.rowcount:
            raise NotFound(f"no active key {key_id}")


def bearer_token(authorization: str | None) -> str:
    """The API key of an ``Authorization: Bearer <key>`` header, or Unauthorized."""
    if not authorization:
        raise Unauthorized("Missing Authorization header; send 'Authorization: Bearer <api key>'")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Authorization header must be 'Bearer <api key>'")
    if not token.startswith(tuple(KEY_PREFIXES.values())):
        raise Unauthorized("Invalid API key")
    return token


# Built once (SQLAlchemy remembers a statement's cache key): this runs on every request. Columns, not the
# entity: loading an ORM object cost more than the query.
_KEYS: Table = ApiKey.__table__  # type: ignore[attr-defined]
_KEY_BY_HASH = sa_select(
    _KEYS.c.id, _KEYS.c.workspace_id, _KEYS.c.mode, _KEYS.c.scopes, _KEYS.c.revoked_at, _KEYS.c.last_used_at
).where(_KEYS.c.secret_sha256 == bindparam("secret_sha256"))
_TOUCH = update(ApiKey).where(col(ApiKey.id) == bindparam("key_id")).values(last_used_at=bindparam("now"))


async def caller_for(session: AsyncSession, token: str) -> Caller:
    """The caller whose key is ``token``, or Unauthorized (in the caller's transaction, which commits it)."""
    key = (await session.execute(_KEY_BY_HASH, {"secret_sha256": sha256_hex(token)})).first()
    if key is None or key.revoked_at is not None:
        raise Unauthorized("Invalid or revoked API key")
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        await session.execute(_TOUCH, {"key_id": key.id, "now": now})
    return Caller(key_id=key.id, workspace_id=key.workspace_id, mode=key.mode, scopes=tuple(key.scopes))
