"""POST /v1/posts/bulk through `octopost serve`: a JSON array or a CSV of create bodies, each row checked exactly
as create checks it (errors on exactly the rows that have them), valid rows created (drafts, scheduled posts with
their targets, queue slots), all or none with atomic, nothing with dry_run, a body that cannot be read a 422, and
the whole request one request of the key's rate limit."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.api.test_posts import assert_error
from tests.api.test_validate import sandbox
from tests.peers.app import OctopostProcess
from tests.peers.webhook_receiver import WebhookReceiver
from tests.queue.test_queue_api import daily
from tests.scheduler.flows import in_seconds
from tests.webhooks.flows import subscribe

CSV_HEADERS = {"Content-Type": "text/csv"}
TOO_LONG_FOR_X = "x" * 281
PAST = "2020-01-01T00:00:00Z"


def as_csv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def bulk(api: httpx.Client, body: Any, query: str = "", **kwargs: Any) -> httpx.Response:
    if isinstance(body, bytes):
        return api.post(f"/v1/posts/bulk{query}", content=body, headers=CSV_HEADERS, **kwargs)
    return api.post(f"/v1/posts/bulk{query}", json=body, **kwargs)


def test_a_10000_row_csv_dry_run_names_exactly_the_bad_rows_and_stores_nothing(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-dry")
    later = in_seconds(7200)
    rows = [
        {"content": f"post {n}", "platforms": "twitter|bluesky", "scheduled_for": later if n % 2 else ""}
        for n in range(1, 10_001)
    ]
    rows[16]["content"] = rows[9998]["content"] = TOO_LONG_FOR_X  # rows 17 and 9,999
    rows[499]["platforms"] = "twitter|myspace"  # row 500
    rows[1999]["scheduled_for"] = PAST  # row 2,000
    answer = bulk(api, as_csv(rows, ["content", "platforms", "scheduled_for"]), "?dry_run=true")
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["created"] == 0
    assert len(result["rows"]) == 10_000
    assert [r["row"] for r in result["rows"]] == list(range(1, 10_001))
    bad = {r["row"]: r["errors"] for r in result["rows"] if not r["valid"]}
    assert sorted(bad) == [17, 500, 2000, 9999]
    assert any("280" in e for e in bad[17])
    assert bad[9999] == bad[17]
    assert any("myspace" in e for e in bad[500])
    assert any("not in the future" in e for e in bad[2000])
    assert all("post_id" not in r for r in result["rows"])
    assert api.get("/v1/posts").json()["total"] == 0

    # One code path: row 17 as a create is refused with the same problems, row 9,999's are the same too.
    single = api.post("/v1/posts", json={"content": TOO_LONG_FOR_X, "platforms": ["twitter"], "scheduled_for": later})
    assert set(assert_error(single, 422, "validation_error")["details"]["errors"]) <= set(bad[17])


def test_a_json_import_creates_drafts_and_scheduled_posts_that_read_back(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-json")
    preset = api.post("/v1/presets", json={"name": "Both", "platforms": ["bluesky", "twitter"]})
    assert preset.status_code == 201, preset.text
    later = in_seconds(7200)
    body = [
        {"content": "a draft", "platforms": ["twitter"]},
        {"content": "scheduled", "platforms": ["twitter", "bluesky"], "scheduled_for": later},
        {"content": "from the preset", "preset_id": preset.json()["id"]},
        {"content": TOO_LONG_FOR_X, "platforms": ["twitter"], "scheduled_for": later},
        {"content": "overridden", "platforms": ["twitter", "bluesky"], "overrides": {"bluesky": {"content": "bsky"}}},
        {"platforms": ["twitter"]},
    ]
    answer = bulk(api, body)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["created"] == 4
    assert [r["valid"] for r in result["rows"]] == [True, True, True, False, True, False]
    assert "content" in result["rows"][5]["errors"][0]
    ids = [r.get("post_id") for r in result["rows"]]
    draft, scheduled, preset_post, overridden = (api.get(f"/v1/posts/{ids[i]}").json() for i in (0, 1, 2, 4))
    assert (draft["status"], draft["scheduled_for"]) == ("draft", None)
    assert (scheduled["status"], scheduled["scheduled_for"][:19]) == ("scheduled", later[:19])
    assert preset_post["platforms"] == ["bluesky", "twitter"]
    assert preset_post["preset_id"] == preset.json()["id"]
    assert overridden["overrides"]["bluesky"]["content"] == "bsky"
    assert api.get("/v1/posts").json()["total"] == 4

    # Another workspace sees none of them.
    other = octopost.client(octopost.new_key(workspace="ws-bulk-json-other", mode="test"))
    assert all(other.get(f"/v1/posts/{i}").status_code == 404 for i in ids if i)
    assert other.get("/v1/posts").json()["total"] == 0


def test_atomic_creates_nothing_when_one_row_is_invalid(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-atomic")
    body = [{"content": "fine", "platforms": ["twitter"]}, {"content": "bad", "platforms": ["nowhere"]}]
    refused = assert_error(bulk(api, body, "?atomic=true"), 422, "validation_error")
    assert [r["valid"] for r in refused["details"]["rows"]] == [True, False]
    assert any(e.startswith("row 2:") for e in refused["details"]["errors"])
    assert api.get("/v1/posts").json()["total"] == 0
    done = bulk(api, body[:1], "?atomic=true").json()
    assert done["created"] == 1


def test_next_free_slot_rows_take_distinct_queue_slots(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-queue")
    slots, instants = daily("UTC")
    columns = ["content", "platforms", "next_free_slot"]
    no_queue = bulk(api, as_csv([{"content": "q", "platforms": "twitter", "next_free_slot": "yes"}], columns))
    assert "PUT /v1/queue" in no_queue.json()["rows"][0]["errors"][0]
    assert api.put("/v1/queue", json={"timezone": "UTC", "slots": slots}).status_code == 200
    flags = ["1", "true", "yes", "no", ""]
    rows = [{"content": f"q{n}", "platforms": "twitter", "next_free_slot": flag} for n, flag in enumerate(flags)]
    result = bulk(api, as_csv(rows, columns)).json()
    assert result["created"] == 5
    posts = [api.get(f"/v1/posts/{r['post_id']}").json() for r in result["rows"]]
    assert [p["scheduled_for"] for p in posts[:3]] == instants[:3]
    assert [p["status"] for p in posts[3:]] == ["draft", "draft"]


def test_csv_media_segments_and_preset_columns(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-columns")
    columns = ["content", "platforms", "image_urls", "alt_texts", "segments"]
    row = {
        "content": "with media",
        "platforms": "bluesky",
        "image_urls": "https://example.com/a.png|https://example.com/b.png",
        "alt_texts": "first|",
        "segments": '[{"content": "second part"}]',
    }
    bad_segments = {**row, "segments": "[not json"}
    result = bulk(api, as_csv([row, bad_segments], columns)).json()
    assert [r["valid"] for r in result["rows"]] == [True, False]
    assert "segments" in result["rows"][1]["errors"][0]
    post = api.get(f"/v1/posts/{result['rows'][0]['post_id']}").json()
    assert [(i["url"], i.get("alt_text")) for i in post["media"]["images"]] == [
        ("https://example.com/a.png", "first"),
        ("https://example.com/b.png", None),
    ]
    assert post["segments"][0]["content"] == "second part"


def test_a_body_that_cannot_be_read_is_a_clear_422_with_nothing_stored(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-bad")
    cases = {
        b"content,colour\nhi,red\n": "unknown CSV columns: colour",
        b"platforms\ntwitter\n": "no content column",
        b"content\n\xff\xfe\n": "not UTF-8",
        b'content\n"unterminated\n': "malformed CSV",
    }
    for body, named in cases.items():
        refused = assert_error(bulk(api, body), 422, "validation_error")
        assert any(named in e for e in refused["details"]["errors"]), (body, refused)
    assert named_in(assert_error(bulk(api, {"content": "not an array"}), 422, "validation_error"), "array")
    too_many = [{"content": "x", "platforms": ["twitter"]}] * 10_001
    assert named_in(assert_error(bulk(api, too_many), 422, "validation_error"), "10000 rows")
    too_many_csv = b"content\n" + b"x\n" * 10_001
    assert named_in(assert_error(bulk(api, too_many_csv), 422, "validation_error"), "10000 rows")
    wrong_type = api.post("/v1/posts/bulk", content=b"content\nhi", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    assert api.get("/v1/posts").json()["total"] == 0


def named_in(error: dict[str, Any], fragment: str) -> bool:
    return any(fragment in e for e in error["details"]["errors"])


def test_the_whole_import_counts_as_one_request_of_the_rate_limit(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-rate")
    before = int(api.get("/v1/posts").headers["X-RateLimit-Remaining"])
    answer = bulk(api, [{"content": f"r{n}", "platforms": ["twitter"]} for n in range(200)])
    assert answer.json()["created"] == 200
    assert int(answer.headers["X-RateLimit-Remaining"]) == before - 1


def test_an_idempotent_retry_of_an_import_creates_nothing_more(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-idem")
    body = [{"content": "once", "platforms": ["twitter"]}] * 3
    first = bulk(api, body, headers={"Idempotency-Key": "bulk-1"})
    again = bulk(api, body, headers={"Idempotency-Key": "bulk-1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert api.get("/v1/posts").json()["total"] == 3


def test_scheduled_rows_announce_post_scheduled_as_a_create_does(
    octopost: OctopostProcess, webhook_receiver: WebhookReceiver
) -> None:
    api = sandbox(octopost, "ws-bulk-webhooks")
    inbox = webhook_receiver.inbox()
    subscribe(api, inbox, ["post.scheduled"])
    later = in_seconds(7200)
    body = [
        {"content": "one", "platforms": ["twitter"], "scheduled_for": later},
        {"content": "a draft", "platforms": ["twitter"]},
        {"content": "two", "platforms": ["bluesky"], "scheduled_for": later},
    ]
    result = bulk(api, body).json()
    scheduled = {result["rows"][0]["post_id"], result["rows"][2]["post_id"]}
    received = inbox.wait_for_type("post.scheduled", 2)
    assert {r.payload["data"]["post"]["id"] for r in received} == scheduled
    assert all(r.payload["data"]["post"]["status"] == "scheduled" for r in received)


def test_a_body_over_the_size_cap_is_refused(octopost: OctopostProcess) -> None:
    api = sandbox(octopost, "ws-bulk-huge")
    huge = b"content\n" + b"x" * (33 * 1024 * 1024) + b"\n"
    assert bulk(api, huge).status_code == 413
    assert api.get("/v1/posts").json()["total"] == 0
