"""Idempotency-Key on POST /v1/posts and POST /v1/posts/{id}/publish, over real HTTP (Stripe's semantics)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from octopost.db import Database
from octopost.idempotency.service import purge_expired
from tests.api.test_posts import assert_error
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.peers.proxy import holding_proxy
from tests.scheduler.flows import connect, wait_for_status

BODY = {"content": "Once, however often it is sent", "platforms": ["mastodon"]}


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def db_path(octopost: OctopostProcess) -> Path:
    return octopost.data_dir / "octopost.db"


def records(octopost: OctopostProcess, idempotency_key: str) -> list[tuple[str, int | None]]:
    with sqlite3.connect(db_path(octopost), timeout=30) as conn:
        rows = conn.execute(
            "SELECT state, response_status FROM idempotency_record WHERE idempotency_key = ?", (idempotency_key,)
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def set_record(octopost: OctopostProcess, idempotency_key: str, *, age: timedelta, state: str | None = None) -> None:
    """Move a record back in time (as SQLAlchemy stores UTC datetimes on SQLite), optionally changing its state."""
    created = (datetime.now(UTC) - age).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(db_path(octopost), timeout=30) as conn:
        conn.execute(
            "UPDATE idempotency_record SET created_at = ?, state = coalesce(?, state) WHERE idempotency_key = ?",
            (created, state, idempotency_key),
        )


def total(api: httpx.Client) -> int:
    return int(api.get("/v1/posts").json()["total"])


def test_a_retry_replays_the_first_response_and_creates_nothing(api: httpx.Client) -> None:
    headers = key()
    first = api.post("/v1/posts", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # The same parameters in another key order and spacing are the same request.
    same = json.dumps(dict(reversed(BODY.items())), indent=2)
    again = api.post("/v1/posts", content=same, headers={**headers, "Content-Type": "application/json"})
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content  # byte for byte
    assert total(api) == 1


def test_the_same_key_with_another_body_or_route_is_a_422(api: httpx.Client) -> None:
    headers = key()
    created = api.post("/v1/posts", json=BODY, headers=headers).json()
    body = assert_error(
        api.post("/v1/posts", json={**BODY, "content": "something else"}, headers=headers),
        422,
        "validation_error",
        "Idempotency-Key",
        "different request",
    )
    assert body["details"]["idempotency_key"] == headers["Idempotency-Key"]
    assert_error(api.post(f"/v1/posts/{created['id']}/publish", headers=headers), 422, "validation_error")
    assert total(api) == 1


def test_keys_belong_to_a_workspace_and_a_mode(octopost: OctopostProcess, api: httpx.Client) -> None:
    headers = key()
    first = api.post("/v1/posts", json=BODY, headers=headers)
    # Another key of the same workspace and mode: the same idempotency namespace (as at Stripe).
    sibling = octopost.client(workspace="ws-idem-shared")
    shared = sibling.post("/v1/posts", json=BODY, headers=headers)
    colleague = octopost.client(octopost.new_key("ws-idem-shared"))
    assert colleague.post("/v1/posts", json=BODY, headers=headers).content == shared.content
    # Another workspace, or the test mode of the same one, never sees the first response.
    assert shared.json()["id"] != first.json()["id"]
    assert "idempotent-replayed" not in shared.headers
    tester = octopost.client(octopost.new_key("ws-idem-shared", mode="test"))
    in_test_mode = tester.post("/v1/posts", json=BODY, headers=headers)
    assert in_test_mode.status_code == 201
    assert "idempotent-replayed" not in in_test_mode.headers
    assert in_test_mode.json()["id"] != shared.json()["id"]


def test_client_errors_are_replayed_too(octopost: OctopostProcess, api: httpx.Client) -> None:
    headers = key()
    invalid = {"content": "", "platforms": []}
    first = assert_error(api.post("/v1/posts", json=invalid, headers=headers), 422, "validation_error")
    again = api.post("/v1/posts", json=invalid, headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.status_code == 422
    assert again.json() == first

    missing = key()
    assert_error(api.post("/v1/posts/post_nope/publish", headers=missing), 404, "not_found")
    replayed = api.post("/v1/posts/post_nope/publish", headers=missing)
    assert (replayed.status_code, replayed.headers["idempotent-replayed"]) == (404, "true")
    assert records(octopost, missing["Idempotency-Key"]) == [("complete", 404)]


def test_a_conflict_is_not_stored_so_a_retry_runs_again(octopost: OctopostProcess) -> None:
    tester = octopost.client(octopost.new_key("ws-idem-conflict", mode="test"))
    connect(tester, "mastodon", "https://mastodon.example", {"access_token": "sandbox"})
    post = tester.post("/v1/posts", json=BODY).json()
    assert tester.post(f"/v1/posts/{post['id']}/publish").status_code == 200
    wait_for_status(tester, post["id"], "published")

    headers = key()
    for _ in range(2):  # published is final: 409 each time, never a replay
        response = tester.post(f"/v1/posts/{post['id']}/publish", headers=headers)
        assert_error(response, 409, "conflict")
        assert "idempotent-replayed" not in response.headers
    assert records(octopost, headers["Idempotency-Key"]) == []


def test_publish_is_replayed_with_its_first_answer(octopost: OctopostProcess) -> None:
    tester = octopost.client(octopost.new_key("ws-idem-publish", mode="test"))
    connect(tester, "mastodon", "https://mastodon.example", {"access_token": "sandbox"})
    post = tester.post("/v1/posts", json=BODY).json()
    headers = key()
    first = tester.post(f"/v1/posts/{post['id']}/publish", headers=headers)
    assert first.status_code == 200
    assert first.json()["status"] == "publishing"
    wait_for_status(tester, post["id"], "published")
    again = tester.post(f"/v1/posts/{post['id']}/publish", headers=headers)
    assert (again.status_code, again.headers["idempotent-replayed"]) == (200, "true")
    assert again.content == first.content  # the first answer, not a 409 for the now published post


def test_a_request_still_in_flight_is_a_409_then_replayed(
    octopost: OctopostProcess, api: httpx.Client, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    # Publishing reads the instance's limits first: holding that request keeps the publish in flight.
    hold_instance = holding_proxy(mastodon_peer.url, lambda method, path, nth: path.rstrip("/") == "/api/v2/instance")
    with hold_instance as proxy:
        connect(api, "mastodon", proxy.url, mastodon_account.credentials)
        post = api.post("/v1/posts", json=BODY).json()
        headers = {**key(), "Authorization": api.headers["Authorization"]}
        url = f"{octopost.url}/v1/posts/{post['id']}/publish"
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(httpx.post, url, headers=headers, timeout=60)
            assert proxy.held.wait(30), "the publish never reached the instance"
            body = assert_error(api.post(url, headers=headers), 409, "conflict", "still being processed")
            assert body["details"] == {"idempotency_key": headers["Idempotency-Key"]}
            proxy.release(forward=True)
            answered = first.result(timeout=60)
        assert answered.status_code == 200, answered.text
        replayed = api.post(url, headers=headers)
        assert replayed.headers["idempotent-replayed"] == "true"
        assert replayed.content == answered.content
        wait_for_status(api, post["id"], "published")


def test_the_key_is_one_lock_across_workers(
    database_url: str, tmp_path: Path, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    """A publish held in flight on one process: its key is a 409 on another process on the same database
    (SQLite file, or PostgreSQL), which then replays the first process's answer."""
    one = make_octopost(tmp_path, database_url).start("--no-scheduler")
    two = one.sibling().start("--no-scheduler")
    hold_instance = holding_proxy(mastodon_peer.url, lambda method, path, nth: path.rstrip("/") == "/api/v2/instance")
    try:
        with hold_instance as proxy:
            secret = one.new_key("ws-idem-workers")
            here, there = one.client(secret), two.client(secret)
            connect(here, "mastodon", proxy.url, mastodon_account.credentials)
            post = here.post("/v1/posts", json=BODY).json()
            headers = {**key(), "Authorization": f"Bearer {secret}"}
            path = f"/v1/posts/{post['id']}/publish"
            with ThreadPoolExecutor(1) as pool:
                first = pool.submit(httpx.post, one.url + path, headers=headers, timeout=60)
                assert proxy.held.wait(30), "the publish never reached the instance"
                assert_error(there.post(path, headers=headers), 409, "conflict", "still being processed")
                proxy.release(forward=True)
                answered = first.result(timeout=60)
            assert answered.status_code == 200, answered.text
            replayed = there.post(path, headers=headers)
            assert (replayed.status_code, replayed.headers["idempotent-replayed"]) == (200, "true")
            assert replayed.content == answered.content
            assert_error(there.post(path, headers=headers, json={"other": "body"}), 422, "validation_error")
    finally:
        two.stop()
        one.stop()


def test_an_expired_key_is_free_again(octopost: OctopostProcess, api: httpx.Client) -> None:
    headers = key()
    first = api.post("/v1/posts", json=BODY, headers=headers).json()
    set_record(octopost, headers["Idempotency-Key"], age=timedelta(hours=24, seconds=5))
    other = api.post("/v1/posts", json={**BODY, "content": "a new request"}, headers=headers)
    assert other.status_code == 201
    assert "idempotent-replayed" not in other.headers
    assert other.json()["id"] != first["id"]
    assert records(octopost, headers["Idempotency-Key"]) == [("complete", 201)]  # restarted in place
    assert api.post("/v1/posts", json={**BODY, "content": "a new request"}, headers=headers).content == other.content


def test_a_request_that_died_frees_its_key_after_the_lock_timeout(octopost: OctopostProcess, api: httpx.Client) -> None:
    headers = key()
    api.post("/v1/posts", json=BODY, headers=headers)
    # As if the worker running it had been killed before it answered: locked, and recently.
    set_record(octopost, headers["Idempotency-Key"], age=timedelta(seconds=30), state="locked")
    assert_error(api.post("/v1/posts", json=BODY, headers=headers), 409, "conflict")
    set_record(octopost, headers["Idempotency-Key"], age=timedelta(minutes=16), state="locked")
    retried = api.post("/v1/posts", json=BODY, headers=headers)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert records(octopost, headers["Idempotency-Key"]) == [("complete", 201)]


def test_expired_records_are_purged(octopost: OctopostProcess, api: httpx.Client) -> None:
    old, fresh = key(), key()
    api.post("/v1/posts", json=BODY, headers=old)
    api.post("/v1/posts", json=BODY, headers=fresh)
    set_record(octopost, old["Idempotency-Key"], age=timedelta(hours=25))

    async def purge() -> int:
        db = Database(octopost.database_url)
        try:
            return await purge_expired(db)
        finally:
            await db.dispose()

    assert asyncio.run(purge()) >= 1
    assert records(octopost, old["Idempotency-Key"]) == []
    assert records(octopost, fresh["Idempotency-Key"]) == [("complete", 201)]


def test_key_must_be_1_to_255_characters(api: httpx.Client) -> None:
    assert_error(api.post("/v1/posts", json=BODY, headers={"Idempotency-Key": "k" * 256}), 400, "bad_request", "255")
    assert_error(api.post("/v1/posts", json=BODY, headers={"Idempotency-Key": ""}), 400, "bad_request")
    assert api.post("/v1/posts", json=BODY, headers={"Idempotency-Key": "k" * 255}).status_code == 201
    assert total(api) == 1


def test_openapi_documents_the_header(octopost: OctopostProcess) -> None:
    paths = httpx.get(f"{octopost.url}/schema/openapi.json").json()["paths"]
    for path in ("/v1/posts", "/v1/posts/{post_id}/publish"):
        parameters = paths[path]["post"].get("parameters", [])
        assert {"name": "Idempotency-Key", "in": "header"}.items() <= next(
            p for p in parameters if p["name"] == "Idempotency-Key"
        ).items()
