"""Running the real `octopost` executable as a subprocess, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.peers.app import OCTOPOST


@dataclass
class Cli:
    """The command with an environment of its own: a home and config directory, and (unless left out) the server
    and key in OCTOPOST_URL / OCTOPOST_API_KEY."""

    home: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None

    @classmethod
    def at(cls, home: Path, url: str | None = None, key: str | None = None, **env: str) -> Cli:
        home.mkdir(parents=True, exist_ok=True)
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "TZ": "UTC",
        }
        if url:
            base["OCTOPOST_URL"] = url
        if key:
            base["OCTOPOST_API_KEY"] = key
        return cls(home=home, env={**base, **env}, cwd=home)

    def run(self, *args: str, code: int | None = 0, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """``octopost *args``; its exit code must be ``code`` (None: any)."""
        done = subprocess.run(
            [str(OCTOPOST), *args],
            env=self.env,
            cwd=self.cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if code is not None:
            assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        assert "\x1b" not in done.stdout
        assert "\x1b" not in done.stderr
        return done


def table_rows(stdout: str, first_cells: set[str]) -> dict[str, list[str]]:
    """The rows of a printed table whose first cell is one of ``first_cells``, split on runs of spaces."""
    rows = {}
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in first_cells:
            rows[cells[0]] = cells
    return rows


def run_in_terminal(cli: Cli, *args: str, timeout: float = 60) -> tuple[int, str]:
    """``octopost *args`` with a pseudo-terminal as stdout (Rich's live display runs only there): its exit code
    and everything it wrote to the terminal."""
    import pty
    import select
    import time

    leader, follower = pty.openpty()
    env = {**cli.env, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"}
    process = subprocess.Popen([str(OCTOPOST), *args], env=env, cwd=cli.cwd, stdout=follower, stderr=follower)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
        code = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
            process.wait()
    return code, seen.decode(errors="replace")
