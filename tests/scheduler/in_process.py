"""The publisher driven in-process: a real Runtime on a real database, the adapter class swapped (Runtime.adapter_class)
for a scripted one that records every request and answers as its script says. For the rules that live above the
adapters (thread modes, reactions, the account lock), where a platform peer would only add noise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    MediaRules,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    TextCounting,
    TextRules,
    ThreadMode,
)
from adapters.mastodon import MastodonAdapter
from octopost import migrate
from octopost.accounts.tables import Account
from octopost.db import utcnow
from octopost.ids import new_id
from octopost.keys.tables import Workspace
from octopost.posts.tables import Delivery, Post, Target
from octopost.runtime import Runtime
from octopost.settings import Settings
from scheduler import claims
from scheduler.media import PostMedia
from scheduler.publisher import publish_target
from tests.peers.databases import in_thread

OWNER = "in-process-worker"
LEASE = timedelta(seconds=60)
# A platform whose every rule is the test's to set (identity: Mastodon's, so rows and accounts are ordinary).
BASE_INFO = replace(
    MastodonAdapter.info,
    text=TextRules(max_chars=500, counting=TextCounting.CODEPOINTS),
    media=MediaRules(
        max_images=4,
        max_image_bytes=1_000_000,
        image_types=frozenset({"image/png"}),
        max_videos=1,
        max_video_bytes=1_000_000,
        video_types=frozenset({"video/mp4"}),
    ),
    idempotent_publish=False,
    idempotency_window_seconds=None,
)


@dataclass
class Script:
    """What the scripted platform answers, call by call: an error to raise, or None to publish."""

    answers: list[AdapterError | None] = field(default_factory=list)
    requests: list[PublishRequest] = field(default_factory=list)
    refreshes: int = 0
    refresh_fixes: bool = True  # whether refresh() makes the next AuthExpired go away


def scripted(info: PlatformInfo, script: Script, *, refreshes: bool = False) -> type[Adapter]:
    """An adapter class for ``info`` that follows ``script``; with ``refreshes``, it has RefreshesSession."""

    class Scripted(Adapter):
        async def verify(self) -> Profile:
            return Profile(platform_user_id="1", username="scripted")

        async def publish(self, request: PublishRequest) -> PublishedRef:
            script.requests.append(request)
            answer = script.answers.pop(0) if script.answers else None
            if answer is not None:
                raise answer
            number = len(script.requests)
            return PublishedRef(id=f"remote-{number}", url=f"https://platform.example/{number}")

    Scripted.info = info

    if not refreshes:
        return Scripted

    class Refreshing(Scripted):
        async def refresh(self) -> dict[str, str] | None:
            script.refreshes += 1
            if script.refresh_fixes:
                script.answers = [a for a in script.answers if not isinstance(a, AuthExpired)]
            return {"access_token": f"refreshed-{script.refreshes}"}

    return Refreshing


@dataclass
class Stage:
    """A runtime, a workspace with an active account, and the means to publish one post in-process."""

    runtime: Runtime
    workspace_id: str
    account_id: str

    async def post(self, content: str, *, segments: list[str] | None = None, **fields: Any) -> Post:
        now = utcnow()
        post = Post(
            id=new_id("post"),
            workspace_id=self.workspace_id,
            content=content,
            platforms=[Platform.MASTODON.value],
            status="publishing",
            segments=[{"content": s, "media_urls": []} for s in segments] if segments else None,
            created_at=now,
            updated_at=now,
            **fields,
        )
        async with self.runtime.db.transaction() as session:
            session.add(post)
            session.add(
                Target(id=new_id("tgt"), post_id=post.id, platform=Platform.MASTODON.value, next_attempt_at=now)
            )
        return post

    async def publish(self, post: Post, adapter: type[Adapter], *, at: datetime | None = None) -> Target:
        """Claim the post's target as OWNER and publish it once with ``adapter``; the target as it ended."""
        self.runtime.adapter_class = lambda _platform, _sandbox: adapter
        when = at or utcnow()
        claimed = await claims.claim_due(self.runtime.db, OWNER, when, LEASE, limit=10)
        [mine] = [c for c in claimed if c.post_id == post.id]
        await publish_target(self.runtime, mine.target_id, OWNER, post, PostMedia())
        return await self.target(post)

    async def target(self, post: Post) -> Target:
        async with self.runtime.db.session() as session:
            return (await session.exec(select(Target).where(Target.post_id == post.id))).one()

    async def ledger(self, target: Target) -> list[tuple[int, str, str | None, str]]:
        async with self.runtime.db.session() as session:
            rows = await session.exec(
                select(Delivery).where(Delivery.target_id == target.id).order_by(col(Delivery.segment_index))
            )
            return [(d.segment_index, d.state, d.remote_id, d.idempotency_key) for d in rows.all()]

    async def account(self) -> Account:
        async with self.runtime.db.session() as session:
            return (await session.exec(select(Account).where(Account.id == self.account_id))).one()

    async def post_status(self, post: Post) -> str:
        async with self.runtime.db.session() as session:
            return (await session.exec(select(Post.status).where(Post.id == post.id))).one()


@asynccontextmanager
async def stage(database_url: str, data_dir: Path, **settings: Any) -> AsyncIterator[Stage]:
    runtime = Runtime.create(
        Settings(database_url=database_url, data_dir=data_dir, secret_key="in-process-secret", **settings)
    )
    try:
        workspace = Workspace(id=new_id("ws"), name=new_id("name"))
        account = Account(
            id=new_id("acc"),
            workspace_id=workspace.id,
            platform=Platform.MASTODON.value,
            base_url="https://platform.example",
            username="scripted",
            platform_user_id="1",
            credentials_encrypted=runtime.cipher.encrypt({"access_token": "original"}),
        )
        async with runtime.db.transaction() as session:
            session.add(workspace)
            await session.flush()
            session.add(account)
        yield Stage(runtime, workspace.id, account.id)
    finally:
        await runtime.aclose()


def migrated_sqlite(tmp_path: Path) -> str:
    """A fresh SQLite database at the newest schema (most in-process rules do not differ by dialect)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'in-process.db'}"
    in_thread(migrate.upgrade, url)
    return url


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def mode(thread_mode: ThreadMode, **more: Any) -> PlatformInfo:
    return replace(BASE_INFO, thread_mode=thread_mode, **more)
