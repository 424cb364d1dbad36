"""The server's own log file, read line by line: with OCTOPOST_LOG_FORMAT=json every line is one JSON object
(time, level, logger, event), a request's lines carry its request id, the publisher's carry post and target ids,
and no secret appears; neither format has a terminal escape (uvicorn's own lines included)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from octopost.logs import JsonFormatter
from tests.ops.conftest import METRICS_TOKEN, Published
from tests.peers.app import OCTOPOST, OctopostProcess, make_octopost
from tests.peers.databases import fetch

_ESCAPE = "\x1b["


def events(service: OctopostProcess) -> list[dict[str, Any]]:
    lines = service.log_text().splitlines()
    parsed = [json.loads(line) for line in lines]  # every line, or this fails naming the line
    assert all(isinstance(event, dict) for event in parsed)
    return parsed


def target_id(service: OctopostProcess, post_id: str) -> str:
    ((found,),) = fetch(service.database_url, "SELECT id FROM target WHERE post_id = :post", post=post_id)
    return str(found)


def test_every_line_is_one_json_object_with_time_level_and_event(
    ops_service: OctopostProcess, published: Published
) -> None:
    parsed = events(ops_service)
    assert len(parsed) > 10
    for event in parsed:
        assert {"time", "level", "logger", "event"} <= event.keys(), event
        assert event["time"].endswith("Z")
        assert datetime.fromisoformat(event["time"]).tzinfo == UTC
        assert event["level"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    assert any(e["logger"].startswith("uvicorn") and "Uvicorn running" in e["event"] for e in parsed)
    assert _ESCAPE not in ops_service.log_text()
    assert "color_message" not in ops_service.log_text()


def test_a_requests_lines_carry_its_request_id(ops_service: OctopostProcess, published: Published) -> None:
    parsed = events(ops_service)
    created = [e for e in parsed if e["event"] == "post created" and e["post_id"] == published.succeeded_post]
    assert len(created) == 1
    assert created[0]["request_id"] == published.create_request_id


def test_publish_lines_carry_post_and_target_ids(ops_service: OctopostProcess, published: Published) -> None:
    parsed = events(ops_service)
    good_target = target_id(ops_service, published.succeeded_post)
    bad_target = target_id(ops_service, published.failed_post)

    succeeded = [e for e in parsed if e["event"] == "target succeeded" and e.get("target_id") == good_target]
    assert len(succeeded) == 1
    assert succeeded[0]["post_id"] == published.succeeded_post
    assert succeeded[0]["platform"] == "discord"
    failed = [e for e in parsed if e.get("target_id") == bad_target and e["level"] == "WARNING"]
    assert len(failed) == 1
    assert failed[0]["post_id"] == published.failed_post
    assert "media" in failed[0]["event"]
    # The scheduler works outside any request: the publish request that woke it doesn't label its lines.
    assert all("request_id" not in e for e in succeeded + failed)


def test_no_secret_reaches_the_log(ops_service: OctopostProcess, ops_api: httpx.Client, published: Published) -> None:
    key = ops_api.headers["authorization"].removeprefix("Bearer ")
    text = ops_service.log_text()
    for secret in (key, METRICS_TOKEN, "ops-bot-token", ops_service.env["OCTOPOST_SECRET_KEY"]):
        assert secret not in text


def test_a_traceback_stays_on_the_events_one_line() -> None:
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        record = logging.LogRecord("octopost.x", logging.ERROR, __file__, 1, "it failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    event = json.loads(line)
    assert event["event"] == "it failed"
    assert event["exception"].startswith("Traceback")
    assert "ValueError: broken\nacross lines" in event["exception"]


def test_text_logs_have_no_terminal_escapes(octopost: OctopostProcess, api: httpx.Client) -> None:
    assert api.get("/v1/posts", headers={"X-Request-Id": "text-format-1"}).status_code == 200
    text = octopost.log_text()
    assert "Uvicorn running" in text
    assert _ESCAPE not in text
    assert "\\u001b" not in text
    assert "color_message" not in text
    first = text.splitlines()[0]
    assert not first.startswith("{")  # the default format is text


def test_an_unknown_log_format_stops_the_server_naming_the_setting(tmp_path: Path) -> None:
    service = make_octopost(tmp_path, OCTOPOST_LOG_FORMAT="yaml")
    ended = subprocess.run(
        [str(OCTOPOST), "serve"], cwd=service.data_dir, env=service.env, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode != 0
    assert "log_format" in ended.stdout + ended.stderr
