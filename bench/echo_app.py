"""The reference for bench/api_throughput.py: a bare Litestar app with one JSON echo route, served exactly as
`octopost serve` serves Octopost (octopost.cli.run_uvicorn, the same logging setup, debug and Litestar
logging off), so the ratio measures what Octopost's own work costs per request.

    .venv/bin/python bench/echo_app.py PORT
"""

from __future__ import annotations

import sys
from typing import Any

from litestar import Litestar, post

from octopost import logs
from octopost.cli import run_uvicorn


@post("/echo", status_code=201)
async def echo(data: dict[str, Any]) -> dict[str, Any]:
    return data


def create_app() -> Litestar:
    return Litestar(route_handlers=[echo], debug=False, logging_config=None)


def main() -> int:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
    logs.configure("INFO")  # what `octopost` does before serving (Settings.log_level's default)
    run_uvicorn(create_app(), "127.0.0.1", port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
