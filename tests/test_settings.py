"""Settings as `make run` meets them on a fresh machine: OCTOPOST_* variables over an optional `.env`, `./data`
by default, and a secret key generated once, readable by its owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from octopost.settings import Settings


@pytest.fixture
def fresh_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("OCTOPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_put_everything_under_data(fresh_dir: Path) -> None:
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{fresh_dir / 'data' / 'octopost.db'}"


def test_a_generated_secret_key_is_0600_and_stable(fresh_dir: Path) -> None:
    first = Settings().secret_key_material()
    path = fresh_dir / "data" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert Settings().secret_key_material() == first  # generated once, then read back


def test_dot_env_is_read_and_the_environment_wins(fresh_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["OCTOPOST_PORT=9123", "OCTOPOST_DATA_DIR=elsewhere", "OCTOPOST_SECRET_KEY=from-env-file"]
    (fresh_dir / ".env").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("OCTOPOST_PORT", "9200")
    settings = Settings()
    assert settings.port == 9200  # the variable over the file
    assert settings.data_dir == Path("elsewhere")
    assert settings.secret_key_material() == "from-env-file"
    assert not (fresh_dir / "elsewhere" / "secret.key").exists()  # a configured key is never written to disk
