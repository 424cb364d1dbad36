"""The unfiltered list's `total` comes from `post_count`, which database triggers keep exact: through the
repository, raw SQL, the API, both modes, a migration's backfill, and two processes creating at once. On SQLite
and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic import command
from sqlmodel import col, delete

from octopost import migrate
from octopost.db import Database
from octopost.ids import new_id
from octopost.keys.tables import Workspace
from octopost.posts import repository
from octopost.posts.repository import PageQuery
from octopost.posts.tables import Post
from tests.api.support import create
from tests.peers.app import REPO, make_octopost
from tests.peers.databases import execute, fetch, in_thread

_RAW_INSERT = (
    "INSERT INTO post (id, workspace_id, is_test, content, platforms, status, created_at, updated_at) "
    "VALUES (:id, :ws, :is_test, 'raw', '[\"mastodon\"]', 'draft', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
_BEFORE = "fc891b22133b"  # the revision before post_count


def _raw_posts(url: str, workspace_id: str, count: int, *, is_test: bool = False) -> list[str]:
    """``count`` posts in one multi-row statement, as bench/seeding.py writes them (no application code)."""
    ids = [new_id("post") for _ in range(count)]
    execute(url, _RAW_INSERT, [{"id": i, "ws": workspace_id, "is_test": is_test} for i in ids])
    return ids


def _counted(url: str) -> dict[tuple[str, bool], int]:
    return {(ws, bool(t)): n for ws, t, n in fetch(url, "SELECT workspace_id, is_test, n FROM post_count")}


def _actual(url: str) -> dict[tuple[str, bool], int]:
    rows = fetch(url, "SELECT workspace_id, is_test, count(*) FROM post GROUP BY workspace_id, is_test")
    return {(ws, bool(t)): n for ws, t, n in rows}


def _assert_exact(url: str) -> None:
    """Every counter equals its count(*) (a counter of 0 stands for no posts, as a missing row does)."""
    assert {k: n for k, n in _counted(url).items() if n} == _actual(url)


async def _total(db: Database, workspace_id: str, *, is_test: bool, status: str | None = None) -> int:
    async with db.session() as session:
        return (await repository.page(session, workspace_id, PageQuery(status), is_test=is_test))[1]


async def _workspace(db: Database, name: str) -> str:
    async with db.transaction() as session:
        workspace = Workspace(id=new_id("ws"), name=name)
        session.add(workspace)
    return workspace.id


async def _add(db: Database, workspace_id: str, *, is_test: bool = False) -> str:
    async with db.transaction() as session:
        post = Post(id=new_id("post"), workspace_id=workspace_id, is_test=is_test, content="c", platforms=["mastodon"])
        session.add(post)  # the ORM's INSERT; repository.add's Core one runs in the API and the writers below
    return post.id


def test_the_triggers_exist_at_head(migrated_database_url: str) -> None:
    """SQLite drops a table's triggers with it: a later batch_alter_table('post') must re-create them."""
    if migrated_database_url.startswith("sqlite"):
        found = fetch(
            migrated_database_url, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'post'"
        )
    else:
        found = fetch(
            migrated_database_url,
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'post'::regclass AND NOT tgisinternal",
        )
    assert {name for (name,) in found} == {"post_count_on_insert", "post_count_on_delete"}


async def test_total_stays_exact_through_creates_raw_inserts_and_deletes_in_both_modes(
    migrated_database_url: str,
) -> None:
    url = migrated_database_url
    db = Database(url)
    try:
        ws, other = await _workspace(db, "counted"), await _workspace(db, "other")
        assert await _total(db, ws, is_test=False) == 0  # no counter row yet

        live = [await _add(db, ws) for _ in range(3)]
        test = [await _add(db, ws, is_test=True) for _ in range(2)]
        await _add(db, other)
        raw = _raw_posts(url, ws, 4)  # execute (like fetch) runs its own event loop, in a thread
        assert await _total(db, ws, is_test=False) == 7
        assert await _total(db, ws, is_test=True) == 2
        assert await _total(db, other, is_test=False) == 1
        assert await _total(db, other, is_test=True) == 0

        async with db.transaction() as session:  # the ORM delete the API does
            await session.delete(await session.get_one(Post, live[0]))
        async with db.transaction() as session:  # and a bulk Core delete of several rows
            await session.exec(delete(Post).where(col(Post.id).in_([*raw[:3], test[0]])))
        assert await _total(db, ws, is_test=False) == 3
        assert await _total(db, ws, is_test=True) == 1
        assert await _total(db, other, is_test=False) == 1

        # The status filter still counts rows, and agrees with the counter when every post has that status.
        assert await _total(db, ws, is_test=False, status="draft") == 3
        assert await _total(db, ws, is_test=False, status="scheduled") == 0

        async with db.transaction() as session:  # down to nothing: 0, not a stale count
            await session.exec(delete(Post).where(col(Post.workspace_id) == ws))
        assert await _total(db, ws, is_test=False) == 0
        assert await _total(db, ws, is_test=True) == 0
    finally:
        await db.dispose()
    _assert_exact(url)


def test_the_migration_backfills_existing_posts_and_downgrades(database_url: str) -> None:
    config = migrate.alembic_config(database_url)
    in_thread(command.upgrade, config, _BEFORE)
    execute(database_url, "INSERT INTO workspace (id, name, created_at) VALUES ('ws_a', 'a', CURRENT_TIMESTAMP)")
    execute(database_url, "INSERT INTO workspace (id, name, created_at) VALUES ('ws_b', 'b', CURRENT_TIMESTAMP)")
    _raw_posts(database_url, "ws_a", 5)
    _raw_posts(database_url, "ws_a", 2, is_test=True)
    _raw_posts(database_url, "ws_b", 1)

    in_thread(command.upgrade, config, "heads")
    assert _counted(database_url) == {("ws_a", False): 5, ("ws_a", True): 2, ("ws_b", False): 1}
    _raw_posts(database_url, "ws_b", 2)  # the triggers count from there on
    assert _counted(database_url)[("ws_b", False)] == 3

    in_thread(command.downgrade, config, _BEFORE)  # drops triggers, function and table
    _raw_posts(database_url, "ws_b", 1)  # a post written while no trigger counted it
    in_thread(command.upgrade, config, "heads")
    assert _counted(database_url) == {("ws_a", False): 5, ("ws_a", True): 2, ("ws_b", False): 4}


# One process creating posts through the repository, one transaction each, after "go" on stdin so that the
# two processes of the test create at the same time.
_WRITER = """
import asyncio, sys
from octopost.db import Database
from octopost.ids import new_id
from octopost.posts import repository
from octopost.posts.repository import PageQuery
from octopost.posts.tables import Post

async def main(url, workspace_id, count):
    db = Database(url)
    try:
        async with db.session() as session:  # connected before the start signal
            await session.connection()
        print("ready", flush=True)
        sys.stdin.readline()
        for n in range(count):
            async with db.transaction() as session:
                post = Post(id=new_id("post"), workspace_id=workspace_id, content=f"{n}", platforms=["mastodon"])
                await repository.add(session, post)
    finally:
        await db.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def test_concurrent_creates_from_two_processes_are_all_counted(migrated_database_url: str) -> None:
    url, each = migrated_database_url, 150
    execute(url, "INSERT INTO workspace (id, name, created_at) VALUES ('ws_c', 'c', CURRENT_TIMESTAMP)")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, "ws_c", str(each)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", writer.communicate(timeout=30)
        for writer in writers:  # both start on a counter row that does not exist yet
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        results = [writer.communicate(timeout=120) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait(10)
    assert [w.returncode for w in writers] == [0, 0], results
    assert _counted(url) == {("ws_c", False): 2 * each}
    _assert_exact(url)


def test_the_api_total_stays_exact_through_creates_deletes_and_raw_inserts(
    tmp_path: Path, migrated_database_url: str
) -> None:
    url = migrated_database_url
    service = make_octopost(tmp_path, database_url=url).start("--no-scheduler")
    try:
        live_key, test_key = service.new_key("counted"), service.new_key("counted", mode="test")
        live, test = service.client(live_key), service.client(test_key)

        def total(api: Any, **params: str) -> int:
            answer = api.get("/v1/posts", params=params)
            assert answer.status_code == 200, answer.text
            return int(answer.json()["total"])

        created = [str(create(live, content="counted")["id"]) for _ in range(3)]
        create(test, content="counted")
        assert (total(live), total(test)) == (3, 1)

        assert live.delete(f"/v1/posts/{created[0]}").status_code == 204
        assert test.delete(f"/v1/posts/{created[1]}").status_code == 404  # another mode's post: not deleted
        assert (total(live), total(test)) == (2, 1)

        [(workspace_id,)] = fetch(url, "SELECT DISTINCT workspace_id FROM api_key")
        _raw_posts(url, workspace_id, 3)
        listed = live.get("/v1/posts", params={"limit": 2}).json()
        assert (listed["total"], len(listed["posts"])) == (5, 2)
        assert total(live, status="draft") == 5
        assert total(test) == 1
    finally:
        service.stop()
    _assert_exact(url)
