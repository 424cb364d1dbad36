"""`octopost doctor` against real servers: every line ok on a healthy installation; a fail (exit code 1) for a
server whose due work no scheduler publishes, for an account its platform cannot confirm, and for a server that
is not there; warnings (exit code 0) where it cannot see everything from where it runs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.cli.support import Cli
from tests.fakes.running import RunningFake, running_fake
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.ports import free_port
from tests.scheduler.flows import connect, in_seconds, wait_for


@pytest.fixture(scope="module")
def mastodon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path_factory.mktemp("fake-mastodon")) as fake:
        yield fake


def on_server_host(service: OctopostProcess, key: str) -> Cli:
    """Where doctor is meant to run: the server's own environment (its data directory, its secret key)."""
    cli = Cli.at(service.data_dir.parent / "doctor-home", url=service.url, key=key)
    cli.env = {**service.env, **cli.env}
    cli.cwd = service.data_dir
    return cli


def sqlite_rows(path: Path, sql: str, *params: str) -> list[tuple]:
    """A statement on the server's SQLite file behind its back (as tests/scheduler/flows.py moves the clock)."""
    with closing(sqlite3.connect(path, timeout=30)) as conn, conn:
        return conn.execute(sql, params).fetchall()


def statuses(doctor_json: str) -> dict[str, str]:
    return {check["name"]: check["status"] for check in json.loads(doctor_json)}


def test_every_check_passes_on_a_healthy_installation(octopost: OctopostProcess, mastodon: RunningFake) -> None:
    key = octopost.new_key("ws-doctor-healthy")
    account = connect(octopost.client(key), "mastodon", mastodon.url, {"access_token": "doctor"})
    cli = on_server_host(octopost, key)

    done = cli.run("doctor", "--time-url", f"{octopost.url}/healthz")

    lines = done.stdout.strip().splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "server"],
        ["ok", "database"],
        ["ok", "schema"],
        ["ok", "scheduler"],
        ["ok", "account"],
        ["ok", "clock"],
        ["ok", "secret"],
    ], done.stdout
    assert f"mastodon @{account['username']} ({account['id']}) verified" in done.stdout
    checks = json.loads(cli.run("doctor", "--time-url", f"{octopost.url}/healthz", "--json").stdout)
    assert {check["status"] for check in checks} == {"ok"}
    assert [check["name"] for check in checks] == [
        "server",
        "database",
        "schema",
        "scheduler",
        "account",
        "clock",
        "secret key",
    ]
    # By default the clock is compared with the accounts' platform: this fake sends no Date, a warning only.
    default_clock = cli.run("doctor", "--json")
    assert statuses(default_clock.stdout)["clock"] == "warn"


def test_an_account_its_platform_cannot_confirm_fails_by_name(octopost: OctopostProcess, tmp_path: Path) -> None:
    key = octopost.new_key("ws-doctor-gone")
    with running_fake("mastodon", tmp_path) as short_lived:
        account = connect(octopost.client(key), "mastodon", short_lived.url, {"access_token": "gone"})
    # The fake is stopped: its instance cannot be reached.

    done = on_server_host(octopost, key).run("doctor", "--time-url", f"{octopost.url}/healthz", code=1)

    failing = [line for line in done.stdout.splitlines() if line.startswith("fail")]
    assert len(failing) == 1, done.stdout
    assert f"mastodon @{account['username']} ({account['id']}): could not reach" in failing[0]


@pytest.fixture(scope="module")
def api_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    """A server without a scheduler, whose due work turns overdue after 0.2 s."""
    service = make_octopost(tmp_path_factory.mktemp("api-only"), OCTOPOST_OVERDUE_ALERT_SECONDS="0.2")
    yield service.start("--no-scheduler")
    service.stop()


def test_a_schema_behind_the_migration_head_fails(api_only: OctopostProcess) -> None:
    database = api_only.data_dir / "octopost.db"
    (head,) = sqlite_rows(database, "SELECT version_num FROM alembic_version")
    sqlite_rows(database, "UPDATE alembic_version SET version_num = 'a5404943e48e'")  # the first migration
    try:
        done = on_server_host(api_only, api_only.new_key("ws-doctor-schema")).run("doctor", code=1)
    finally:
        sqlite_rows(database, "UPDATE alembic_version SET version_num = ?", head[0])

    (schema,) = [line for line in done.stdout.splitlines() if line.split()[1:2] == ["schema"]]
    assert schema.split()[0] == "fail"
    assert f"at a5404943e48e, head is {head[0]}: run `octopost migrate`" in schema


def test_a_stopped_scheduler_with_due_work_fails(api_only: OctopostProcess) -> None:
    key = api_only.new_key("ws-doctor-stalled")
    cli = on_server_host(api_only, key)
    before = cli.run("doctor", "--json")  # nothing due yet: an API-only process is a warning, not a failure
    assert statuses(before.stdout)["scheduler"] == "warn"
    created = api_only.client(key).post(
        "/v1/posts", json={"content": "nobody sends me", "platforms": ["mastodon"], "scheduled_for": in_seconds(1)}
    )
    assert created.status_code == 201, created.text
    wait_for(lambda: httpx.get(f"{api_only.url}/healthz").status_code == 503, timeout=30, what="the post overdue")

    done = cli.run("doctor", code=1)

    (scheduler,) = [line for line in done.stdout.splitlines() if line.split()[1:2] == ["scheduler"]]
    assert scheduler.startswith("fail")
    assert "no scheduler is keeping up" in scheduler


def test_away_from_the_server_host_the_secret_key_is_a_warning(octopost: OctopostProcess, tmp_path: Path) -> None:
    elsewhere = Cli.at(tmp_path / "laptop", url=octopost.url)  # no key, no data directory, no secret

    done = elsewhere.run("doctor", "--json")

    found = statuses(done.stdout)
    assert found["server"] == found["database"] == found["scheduler"] == "ok"
    assert found["accounts"] == found["secret key"] == "warn"
    assert not (tmp_path / "laptop" / "data").exists()  # doctor never creates a data directory (or a key)


def test_an_unreachable_server_fails(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"

    done = Cli.at(tmp_path / "home", url=nobody, key="oct_live_whatever").run("doctor", code=1)

    assert done.stdout.splitlines()[0].split()[:2] == ["fail", "server"]
    assert f"cannot reach {nobody}" in done.stdout
