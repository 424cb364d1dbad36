"""What the API's hardening costs per request: rate limiting (one upsert per request) and Idempotency-Key
(a lock row before the work, the response stored after it), against `octopost serve` on SQLite.

    .venv/bin/python bench/api_overhead.py [ROUNDS]

Two services run side by side, limits off and on; requests alternate between them in small batches so that
machine load hits both alike. Prints median milliseconds per request and ratios (hardened / bare).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from tests.peers.app import OctopostProcess, make_octopost

BODY = {"content": "benchmark", "platforms": ["mastodon"]}
BATCH = 20

Send = Callable[[httpx.Client], httpx.Response]
CASES: dict[str, Send] = {
    "get": lambda api: api.get("/v1/posts", params={"limit": 1}),
    "create": lambda api: api.post("/v1/posts", json=BODY),
    "create+key": lambda api: api.post("/v1/posts", json=BODY, headers={"Idempotency-Key": str(uuid.uuid4())}),
}


def batch_ms(api: httpx.Client, send: Send) -> float:
    started = time.perf_counter()
    for _ in range(BATCH):
        assert send(api).status_code < 300
    return (time.perf_counter() - started) * 1000 / BATCH


def service(work: Path, limit: str) -> OctopostProcess:
    env = {"OCTOPOST_RATE_LIMIT_PER_MINUTE": limit, "OCTOPOST_PUBLISH_RATE_LIMIT_PER_MINUTE": limit}
    return make_octopost(work, **env).start("--no-scheduler")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    with tempfile.TemporaryDirectory(prefix="octopost-api-overhead-") as tmp:
        bare, limited = service(Path(tmp) / "bare", "0"), service(Path(tmp) / "limited", "1000000")
        try:
            clients = {"off": bare.client(), "on": limited.client()}
            timings: dict[tuple[str, str], list[float]] = {}
            for _ in range(rounds):
                for case, send in CASES.items():
                    for mode, api in clients.items():
                        timings.setdefault((case, mode), []).append(batch_ms(api, send))
        finally:
            bare.stop()
            limited.stop()
    median = {key: statistics.median(values) for key, values in timings.items()}
    print(f"rounds={rounds} batch={BATCH} (median ms per request; rate limits off → on)")
    for case in CASES:
        off, on = median[(case, "off")], median[(case, "on")]
        print(f"  {case:<11} {off:6.2f} → {on:6.2f}  ratio={on / off:.2f}")
    key_ratio = median[("create+key", "on")] / median[("create", "on")]
    print(f"Idempotency-Key on create (limits on): ratio={key_ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
