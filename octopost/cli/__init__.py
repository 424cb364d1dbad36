"""The `octopost` command (entry point octopost.cli:main); run_uvicorn is how `serve` runs an app."""

from octopost.cli.app import main
from octopost.cli.server import run_uvicorn

__all__ = ["main", "run_uvicorn"]
