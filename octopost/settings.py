"""Settings from OCTOPOST_* environment variables (and an optional .env file)."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from octopost.net.addresses import parse_allowlist

DEFAULT_PLATFORM_CONCURRENCY = 8


def parse_platform_concurrency(value: str) -> dict[str, int]:
    """ "bluesky=4, mastodon=8" → {"bluesky": 4, "mastodon": 8}; each limit a positive integer."""
    limits: dict[str, int] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        name, sep, number = entry.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit() or int(number) <= 0:
            raise ValueError(f"{entry!r} is not platform=N with N a positive integer")
        limits[name.strip()] = int(number)
    return limits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OCTOPOST_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # Behind a TLS reverse proxy: the addresses (comma-separated, or "*") whose X-Forwarded-For/-Proto uvicorn
    # believes, so request URLs and client addresses are the user's, not the proxy's.
    forwarded_allow_ips: str = "127.0.0.1"
    data_dir: Path = Path("data")
    # Default: an SQLite file in data_dir. postgresql+asyncpg://… for scale-out.
    database_url: str | None = None
    # PostgreSQL connections per process: kept open, and extra ones under load. Transactions are short (never
    # held across a platform call), so 5 + 10 serve max_parallel_targets=16; 6 such processes stay under the
    # server's default max_connections of 100.
    database_pool_size: int = Field(default=5, gt=0)
    database_max_overflow: int = Field(default=10, ge=0)
    # Fernet-style key material for credentials at rest; generated once into data_dir when unset.
    secret_key: str | None = None
    scheduler_enabled: bool = True
    tick_seconds: float = Field(default=1.0, gt=0)
    # Rows one POST /v1/posts/bulk may carry (more is a 422: split the import).
    bulk_max_rows: int = Field(default=10_000, gt=0)
    lease_seconds: float = Field(default=60.0, gt=0)
    claim_batch: int = Field(default=50, gt=0)
    max_parallel_targets: int = Field(default=16, gt=0)
    # Requests to one platform in flight per process, e.g. "bluesky=4,mastodon=8"; unlisted platforms get
    # DEFAULT_PLATFORM_CONCURRENCY. The dispatcher gives each platform twice that many target slots inside
    # max_parallel_targets, so one slow platform cannot take them all.
    platform_concurrency: str = ""
    # Recurring posts: how often the scheduler creates later occurrences, and how far ahead (every occurrence due
    # within the horizon exists as a post, and at least the next one).
    series_seconds: float = Field(default=60.0, gt=0)
    series_horizon_hours: float = Field(default=24.0, ge=0)
    # How often accounts whose tokens cannot be refreshed are checked for an expiry to warn about (or that came).
    token_expiry_check_seconds: float = Field(default=3600.0, gt=0)
    max_attempts: int = Field(default=5, gt=0)
    # Backoff between attempts after transient failures: base, 2x base, 4x base ... (capped at an hour).
    retry_base_seconds: float = Field(default=15.0, gt=0)
    # /healthz turns 503 when due work has waited longer than this (a stalled or missing scheduler).
    overdue_alert_seconds: float = Field(default=300.0, gt=0)
    media_max_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    # Uploads (POST /v1/media): the largest image and video taken, and how long an upload no post references is
    # kept before housekeeping removes it with its file.
    upload_max_image_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    upload_max_video_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    upload_unreferenced_days: float = Field(default=7.0, gt=0)
    http_timeout_seconds: float = Field(default=30.0, gt=0)
    # Every outbound HTTP exchange (connect, send, the whole answer) ends within this, however slowly a server drips.
    http_total_timeout_seconds: float = Field(default=300.0, gt=0)
    # User-supplied URLs (media, webhooks, account base URLs) never reach loopback, private, link-local, CGNAT,
    # reserved, multicast or cloud metadata addresses (octopost/net/), except inside these comma-separated CIDRs
    # (e.g. "10.0.0.0/8,fd00::/8" for a private deployment). Empty by default.
    network_allowlist: str = ""
    # Webhooks: retry delays are multiples of this base (5 s → 11 attempts over about a day); an endpoint is
    # disabled after this many failed attempts in a row (or at once on 410); each POST gets this long.
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_disable_after: int = Field(default=15, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # Requests per API key per minute (0 = unlimited). Publishes (POST /v1/posts/{id}/publish) count against
    # their own, lower budget instead, since each one fans out to every platform of the post.
    rate_limit_per_minute: int = Field(default=1200, ge=0)
    publish_rate_limit_per_minute: int = Field(default=120, ge=0)
    # Where users' browsers reach this service: OAuth callbacks are {public_url}/v1/oauth/callback (register that URL
    # with each platform's app).
    public_url: str = "http://127.0.0.1:8000"
    # Per-platform OAuth apps in one JSON setting, e.g. {"twitter": {"client_id": "...", "client_secret": "..."}};
    # a platform not in it reads OCTOPOST_<PLATFORM>_CLIENT_ID / _CLIENT_SECRET / _AUTHORIZE_URL / _TOKEN_URL.
    oauth_apps: dict[str, dict[str, str]] = Field(default_factory=dict, repr=False)
    worker_id: str = Field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    log_level: str = "INFO"
    # "text": readable lines with key=value context; "json": one JSON object per line (for a log collector).
    log_format: Literal["text", "json"] = "text"
    # GET /metrics requires `Authorization: Bearer <this>` when set; unset, it is open (bind to loopback, or
    # protect it at the proxy).
    metrics_token: str | None = Field(default=None, repr=False)

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("platform_concurrency")
    @classmethod
    def _concurrency(cls, value: str) -> str:
        parse_platform_concurrency(value)  # a bad entry stops the process at start, naming the setting
        return value

    @cached_property
    def platform_limits(self) -> dict[str, int]:
        return parse_platform_concurrency(self.platform_concurrency)

    def concurrency_of(self, platform: str) -> int:
        return self.platform_limits.get(platform, DEFAULT_PLATFORM_CONCURRENCY)

    @property
    def blocking_io_slots(self) -> int:
        """Blocking SDK calls (Mastodon.py, tweepy) at once per process: one for every target in flight, plus room
        for DNS lookups and SQLite lock waits. Sizes both the threads they run on and the connections they use."""
        return self.max_parallel_targets + 8

    @field_validator("network_allowlist")
    @classmethod
    def _cidrs(cls, value: str) -> str:
        parse_allowlist(value)  # a bad entry stops the process at start, with pydantic naming the setting
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an absolute http(s) URL, e.g. https://octopost.example.com")
        return value.rstrip("/")

    @property
    def oauth_callback_url(self) -> str:
        return f"{self.public_url}/v1/oauth/callback"

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'octopost.db').resolve()}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def secret_key_material(self) -> str:
        """The configured secret key, or one generated once into data_dir/secret.key (mode 0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.ensure_data_dir() / "secret.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
        return path.read_text().strip()
