"""`POST /v1/posts` throughput at 32 concurrent clients on SQLite, against a bare Litestar JSON echo route
(bench/echo_app.py) served with the same uvicorn settings, in the same run.

    .venv/bin/python bench/api_throughput.py [SECONDS] [--clients 32]

The load comes from wrk (Debian's package; scripts/install-wrk.sh installs it when missing), a separate C
process with one event-loop thread, so the load generator is not the bottleneck: its CPU share is printed.
Octopost runs as `octopost serve --no-scheduler` with a live key and rate limiting on, its budget raised so
it does not refuse the load. Each server gets a short warm-up, then the same measured duration, one after
the other (never both at once: the machine has 2 cores). Target: ≥ 0.6x the echo's requests/s, p99 < 25 ms,
0 errors (non-2xx answers and socket errors).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.report import Figure, emit, machine
from tests.peers.app import make_octopost
from tests.peers.ports import free_port, stop, wait_until

REPO = Path(__file__).resolve().parents[1]
BODY = json.dumps(
    {
        "content": "Shipping day: our cross-posting scheduler now threads replies natively on Bluesky and "
        "Mastodon, counts characters the way each platform does, and never posts twice. #selfhosted",
        "platforms": ["mastodon", "bluesky"],
    }
)
RATE_LIMIT = 100_000_000  # per minute: on, as in a real deployment, but far above what this load sends
WARMUP_SECONDS = 2
TICKS = os.sysconf("SC_CLK_TCK")

# Counts every non-2xx answer (wrk's own "errors.status" counts only >= 400) and prints one JSON line.
LUA = r"""
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class Run:
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    wrk_cpu: float  # cores used by wrk (1.0 = one core busy the whole run)
    server_cpu: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    def summary(self) -> str:
        return (
            f"{self.rps:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, {self.errors} errors "
            f"(wrk CPU {self.wrk_cpu:.0%} of a core, server {self.server_cpu:.0%})"
        )


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run(["bash", str(REPO / "scripts" / "install-wrk.sh")], check=True)
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed")
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def load(wrk: str, lua: Path, url: str, key: str, seconds: float, clients: int, server_pid: int) -> Run:
    env = {**os.environ, "BENCH_BODY": BODY, "BENCH_KEY": key}  # the key stays out of argv and files
    command = [wrk, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", "-s", str(lua), url]
    server_before, started = cpu_seconds(server_pid), time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    server_cpu = (cpu_seconds(server_pid) - server_before) / wall
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}:\n{output}")
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    stats = json.loads(line[4:])
    return Run(
        requests=stats["requests"],
        seconds=stats["duration_us"] / 1e6,
        non2xx=stats["non2xx"],
        socket_errors=stats["connect"] + stats["read"] + stats["write"] + stats["timeout"],
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        max_ms=stats["max_us"] / 1000,
        wrk_cpu=(usage.ru_utime + usage.ru_stime) / wall,
        server_cpu=server_cpu,
    )


def start_echo(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/echo"
    with (work / "echo.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "bench" / "echo_app.py"), str(port)], stdout=log, stderr=subprocess.STDOUT
        )

    def ready() -> bool:
        try:
            return httpx.post(url, content=BODY, headers={"Content-Type": "application/json"}).status_code == 201
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout=30, what="echo app", process=process)
    return process, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=20.0, help="measured duration per server")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    args = parser.parse_args()
    wrk = ensure_wrk()
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()

    with tempfile.TemporaryDirectory(prefix="octopost-api-throughput-") as tmp:
        work = Path(tmp)
        lua = work / "post.lua"
        lua.write_text(LUA)
        octopost = make_octopost(work, OCTOPOST_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT)).start("--no-scheduler")
        echo, echo_url = start_echo(work)
        try:
            key = octopost.new_key()
            posts_url = f"{octopost.url}/v1/posts"
            assert octopost.process is not None
            servers = {"echo": (echo_url, echo.pid), "octopost": (posts_url, octopost.process.pid)}
            for url, pid in servers.values():
                load(wrk, lua, url, key, WARMUP_SECONDS, args.clients, pid)
            runs = {
                name: load(wrk, lua, url, key, args.seconds, args.clients, pid) for name, (url, pid) in servers.items()
            }
            stored = octopost.client(key).get("/v1/posts", params={"limit": 1}).json()["total"]
        finally:
            stop(echo)
            octopost.stop()

    echo_run, octo_run = runs["echo"], runs["octopost"]
    ratio = octo_run.rps / echo_run.rps
    met = ratio >= 0.6 and octo_run.p99_ms < 25 and octo_run.errors == 0
    print(f"{machine()}; load: {version}, 1 thread, {args.clients} connections, {args.seconds:g} s per server")
    print(f"  echo     {echo_run.summary()}")
    print(f"  octopost {octo_run.summary()}; posts stored (warm-up included): {stored:,}")
    emit(
        Figure(
            benchmark=f"POST /v1/posts throughput ({args.clients} clients, SQLite)",
            reference=f"bare Litestar JSON echo: {echo_run.rps:,.0f} req/s, p99 {echo_run.p99_ms:.1f} ms",
            measured=f"{octo_run.rps:,.0f} req/s, p50 {octo_run.p50_ms:.1f} ms, p99 {octo_run.p99_ms:.1f} ms, "
            f"{octo_run.errors} errors",
            ratio=round(ratio, 3),
            target="≥ 0.6x, p99 < 25 ms, 0 errors",
            met=met,
            details={
                "load_generator": f"{version}, 1 thread, {args.clients} connections, Lua POST script",
                "seconds": args.seconds,
                "rate_limit": f"on, OCTOPOST_RATE_LIMIT_PER_MINUTE={RATE_LIMIT}",
                "server": "octopost serve --no-scheduler (SQLite, live key, draft posts)",
                "posts_stored": stored,
                **{f"{name}_{k}": v for name, run in runs.items() for k, v in _details(run).items()},
            },
        )
    )
    return 0


def _details(run: Run) -> dict[str, float | int]:
    return {
        "rps": round(run.rps, 1),
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "max_ms": run.max_ms,
        "non2xx": run.non2xx,
        "socket_errors": run.socket_errors,
        "wrk_cpu_cores": round(run.wrk_cpu, 3),
        "server_cpu_cores": round(run.server_cpu, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
