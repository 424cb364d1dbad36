"""The HTTP client every client command uses: which server and key (flags, a profile, the environment), and the
API's errors turned into CliError (its envelope's message; a clear line when the server cannot be reached)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import TracebackType
from typing import Annotated, Any

import httpx
import typer

from octopost.cli import profiles
from octopost.cli.errors import ApiError, CliError

DEFAULT_URL = "http://127.0.0.1:8000"

UrlOption = Annotated[
    str | None,
    typer.Option("--url", metavar="URL", help=f"the server [default: OCTOPOST_URL, the profile's, or {DEFAULT_URL}]"),
]
KeyOption = Annotated[
    str | None, typer.Option("--key", metavar="KEY", help="an API key [default: OCTOPOST_API_KEY or the profile's]")
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile", metavar="NAME", help="a connection saved by `octopost login` [default: the profile 'default']"
    ),
]


@dataclass(frozen=True)
class Connection:
    url: str
    key: str | None


def resolve(url: str | None, key: str | None, profile: str | None) -> Connection:
    """Each of url and key from the first that has it: the flag, the profile named by --profile, the environment
    (OCTOPOST_URL, OCTOPOST_API_KEY), the profile 'default' when one is saved; the url last from DEFAULT_URL."""
    named = profiles.load(profile) if profile else None
    fallback = None if profile else profiles.load_all().get(profiles.DEFAULT_PROFILE)
    chosen_url = (
        url or (named and named.url) or os.environ.get("OCTOPOST_URL") or (fallback and fallback.url) or DEFAULT_URL
    )
    chosen_key = (
        key or (named and named.key) or os.environ.get("OCTOPOST_API_KEY") or (fallback and fallback.key) or None
    )
    return Connection(url=chosen_url.rstrip("/"), key=chosen_key)


class Api:
    """One server, one key; every answer either JSON or an ApiError."""

    def __init__(self, connection: Connection, timeout: float = 30.0) -> None:
        self.url = connection.url
        self._key = connection.key
        headers = {"User-Agent": "octopost-cli"}
        if connection.key:
            headers["Authorization"] = f"Bearer {connection.key}"
        self._client = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def __enter__(self) -> Api:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._client.close()

    def exchange(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The raw answer (any status); unreachable servers and broken connections become a CliError."""
        try:
            return self._client.request(method, path, **kwargs)
        except httpx.ConnectError:
            raise CliError(f"cannot reach {self.url}: is `octopost serve` running there?") from None
        except httpx.TimeoutException:
            raise CliError(f"{self.url} did not answer in time ({method} {path})") from None
        except httpx.HTTPError as exc:
            raise CliError(f"talking to {self.url} failed: {type(exc).__name__}") from None

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """An authenticated call: its JSON body (None for 204), or the API's error raised."""
        if not self._key:
            raise CliError("no API key: pass --key, set OCTOPOST_API_KEY, or save a profile with `octopost login`")
        response = self.exchange(method, path, **kwargs)
        if response.status_code >= 400:
            raise ApiError.of(response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise CliError(f"{self.url} answered {method} {path} with something that is not JSON") from None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params={k: v for k, v in params.items() if v is not None} or None)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, json=body) if body is not None else self.call("POST", path)


def connect(url: str | None, key: str | None, profile: str | None, timeout: float = 30.0) -> Api:
    return Api(resolve(url, key, profile), timeout=timeout)
