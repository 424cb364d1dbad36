"""Structured logs: one event per line, never secrets, never terminal escapes.

Two formats (OCTOPOST_LOG_FORMAT): `text`, a readable line with `key=value` context (post and target ids), and
`json`, one JSON object per line: time (ISO 8601, UTC), level, logger, event, request_id (inside a request), the
context the code passes in ``extra=``, and a traceback as one field.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

from octopost import request_id

FORMATS = ("text", "json")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}
# uvicorn passes its messages again with terminal colours for its own formatter: never ours to print.
_DROPPED = {"color_message"}


def _context(record: logging.LogRecord) -> dict[str, Any]:
    extras = {
        k: v
        for k, v in record.__dict__.items()
        if k not in _STANDARD and k not in _DROPPED and not k.startswith("_")
    }
    rid = request_id.current.get()
    if rid is not None and "request_id" not in extras:
        extras["request_id"] = rid
    return extras


def _no_escapes(text: str) -> str:
    """A message may quote a platform's answer: its escape characters are shown, not obeyed by a terminal."""
    return text.replace("\x1b", "\\x1b")


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = _context(record)
        if extras:
            line += " " + " ".join(f"{k}={json.dumps(v, default=str)}" for k, v in sorted(extras.items()))
        return _no_escapes(line)


def _iso_utc(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "time": _iso_utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in _context(record).items():
            event.setdefault(key, value)
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines and control characters: whatever the event says, it stays one line.
        return json.dumps(event, default=str, ensure_ascii=False)


def _format_from_settings() -> str:
    """OCTOPOST_LOG_FORMAT from the environment (or .env, through the settings) when the caller didn't pass it."""
    if "OCTOPOST_LOG_FORMAT" in os.environ:
        return os.environ["OCTOPOST_LOG_FORMAT"]
    from octopost.settings import Settings  # late: settings are read only when the caller has none to give

    return Settings().log_format


def configure(level: str = "INFO", fmt: str | None = None) -> None:
    fmt = (fmt or _format_from_settings()).lower()
    if fmt not in FORMATS:
        raise ValueError(f"OCTOPOST_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Request lines of the HTTP clients would repeat every platform URL; our own events say what happened.
    # aiosqlite's DEBUG lines carry every SQL statement with its parameters: never at any log level.
    for noisy in ("httpx", "httpcore", "aiosqlite", "apscheduler.executors.default", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
