"""YouTube's metadata and comment calls validated by Prism against Google's own description of the API.

Google publishes the YouTube Data API as a discovery document (inside the google-api-python-client wheel); `make peers`
converts it to OpenAPI with npm google-discovery-to-swagger (tests/peers/google/discovery-to-openapi.cjs) into
~/.cache/octopost/youtube.v3.openapi.json. Prism runs in proxy mode on it, in front of the stateful YouTube fake:
every ``/youtube/v3/...`` request is checked against the document (parameters, body schema, OAuth security) and
forwarded to the fake, which answers as YouTube does; Prism logs every violation of the request (and of the answer)
for the test to read. (Not ``--errors``: it would turn the fake's documented error answers, which the discovery
document does not list, into Prism's own 500s.)

The upload endpoints (``/upload/youtube/v3/...`` and the resumable session URIs) are not in the discovery document
as paths (it describes them as a media upload protocol of ``videos.insert``), so a router in front sends those to
the fake directly; the fake checks their bodies against the discovery document itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fakes.running import RunningFake, running_fake
from tests.peers.prism import PrismPeer, prism_executable, start_prism
from tests.peers.proxy import FORWARD, Proxy

OPENAPI = Path(os.environ.get("OCTOPOST_PEER_CACHE") or Path.home() / ".cache" / "octopost") / "youtube.v3.openapi.json"
UPLOADS = "/upload/"
_FORWARDED = re.compile(r'Forwarding "(\w+)" request to http://[^/]+(/[^?\s]*)')


class PrefixRouter(Proxy):
    """A loopback proxy forwarding each request to the first upstream whose path prefix it starts with."""

    def __init__(self, routes: list[tuple[str, str]], default: str) -> None:
        super().__init__(default, lambda _method, _path, _nth: FORWARD)
        self.routes = [(prefix, url.rstrip("/")) for prefix, url in routes]

    def _send_upstream(self, method: str, target: str, headers: dict[str, str], body: bytes) -> httpx.Response:
        upstream = next((url for prefix, url in self.routes if target.startswith(prefix)), self.upstream)
        return httpx.request(method, upstream + target, headers=headers, content=body, timeout=60)


@dataclass
class YouTubeThroughPrism:
    url: str  # the adapter's base URL
    fake: RunningFake
    prism: PrismPeer

    def violations(self, since: int) -> list[str]:
        """Every violation Prism logged since ``since`` (a log offset), of requests and of answers."""
        with self.prism.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [line.split("Violation: ", 1)[1] for line in text.splitlines() if "Violation: " in line]

    def forwarded(self, since: int) -> list[str]:
        """The requests Prism forwarded to the fake since ``since``: ``"post /youtube/v3/commentThreads"``..."""
        with self.prism.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [f"{m.group(1)} {m.group(2).rstrip('.')}" for m in _FORWARDED.finditer(text)]


@contextmanager
def youtube_through_prism(work: Path) -> Iterator[YouTubeThroughPrism]:
    """The fake, Prism validating in front of it, and the router; skipped without `make peers`."""
    if not OPENAPI.is_file() or not prism_executable().exists():
        pytest.skip(f"{OPENAPI} or Prism is absent: run `make peers`")
    with (
        running_fake("youtube", work) as fake,
        start_prism(OPENAPI, errors=False, dynamic=False, upstream=fake.url, work_dir=work / "prism") as prism,
        PrefixRouter([(UPLOADS, fake.url)], default=prism.url) as router,
    ):
        yield YouTubeThroughPrism(url=router.url, fake=fake, prism=prism)
