"""The metric definitions, in a registry of our own (not prometheus-client's global one: only what we define is
published, and tests or a second app in one process don't meet another's metrics by accident)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

PUBLISHES = Counter(
    "octopost_publishes",
    "Publish attempts of one post to one platform that ended, by how they ended "
    "(succeeded, failed, unconfirmed, retried later) and the error category (none on success).",
    ["platform", "outcome", "error_category"],
    registry=REGISTRY,
)

# From sub-second (the scheduler wakes at the due time) to an hour (a backlog or a stalled scheduler).
_LATENESS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)

DISPATCH_LATENESS = Histogram(
    "octopost_dispatch_lateness_seconds",
    "How long a due target waited before a worker claimed it: claim time minus the time it came due.",
    ["platform"],
    buckets=_LATENESS_BUCKETS,
    registry=REGISTRY,
)

LEASE_TAKEOVERS = Counter(
    "octopost_lease_takeovers",
    "Targets this process took over from a worker whose lease ran out (a crash, a stall).",
    ["platform"],
    registry=REGISTRY,
)

WEBHOOK_DELIVERIES = Counter(
    "octopost_webhook_deliveries",
    "Webhook delivery attempts, by outcome (delivered: a 2xx answer; failed: anything else).",
    ["outcome"],
    registry=REGISTRY,
)

HTTP_REQUESTS = Counter(
    "octopost_http_requests",
    "HTTP requests answered, by route template (never the raw path), method and status code.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
