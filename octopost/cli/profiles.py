"""Saved connections (`octopost login`): $XDG_CONFIG_HOME/octopost/profiles.toml (else ~/.config/…), mode 0600
since it holds API keys. One table per profile: ["name"] with url and key."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from octopost.cli.errors import CliError

DEFAULT_PROFILE = "default"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class Profile:
    url: str | None
    key: str | None


def profiles_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "octopost" / "profiles.toml"


def load_all() -> dict[str, Profile]:
    path = profiles_path()
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    return {
        name: Profile(url=_text(entry.get("url")), key=_text(entry.get("key")))
        for name, entry in data.items()
        if isinstance(entry, dict)
    }


def load(name: str) -> Profile:
    profiles = load_all()
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none saved yet"
        raise CliError(f"no profile {name!r} in {profiles_path()} ({known}): save one with `octopost login`")
    return profiles[name]


def save(name: str, url: str, key: str) -> Path:
    """Write the file anew (0600 from its creation, replaced atomically) with this profile added or replaced."""
    if not _NAME.match(name):
        raise CliError(f"profile name {name!r}: use letters, digits, '.', '_' or '-'")
    for value in (url, key):
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
            raise CliError("url and key must not contain control characters")
    profiles = {**load_all(), name: Profile(url=url, key=key)}
    path = profiles_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(_render(profiles))
    os.replace(temporary, path)
    return path


def _render(profiles: dict[str, Profile]) -> str:
    # JSON's string escapes are valid TOML basic strings (control characters were refused above).
    parts = ["# Written by `octopost login`: it holds API keys, keep it private (mode 0600).\n"]
    for name, profile in sorted(profiles.items()):
        parts.append(f"\n[{json.dumps(name)}]\n")
        for field in ("url", "key"):
            value = getattr(profile, field)
            if value is not None:
                parts.append(f"{field} = {json.dumps(value)}\n")
    return "".join(parts)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
