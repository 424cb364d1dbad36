"""The API docs UI works offline: /schema and /schema/swagger load scripts, styles and icons from our own
server only (Swagger UI's files from a Python package, served at /schema/assets/...), and each answers 200 with
its content type."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest

from tests.peers.app import OctopostProcess


class _References(HTMLParser):
    """Every URL the page makes the browser load or link to: src and href attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, url in attrs:
            if name in ("src", "href") and url:
                self.urls.append((tag, url))


def references(html: str) -> list[tuple[str, str]]:
    parser = _References()
    parser.feed(html)
    return parser.urls


_EXPECTED_TYPES = {"script": "text/javascript", "link": ("text/css", "image/png")}


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
def test_the_docs_page_loads_only_our_own_files(octopost: OctopostProcess, page: str) -> None:
    answer = httpx.get(f"{octopost.url}{page}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle(" in answer.text
    found = references(answer.text)
    kinds = {tag for tag, _ in found}
    assert kinds == {"script", "link"}, found  # the bundle, the preset, the stylesheet, the icon
    assert len(found) == 4
    for tag, url in found:
        assert (urlsplit(url).scheme, urlsplit(url).netloc) == ("", ""), f"{url} is on another host"
        assert url.startswith("/schema/assets/swagger-ui-")
        asset = httpx.get(f"{octopost.url}{url}")
        assert asset.status_code == 200, url
        expected = _EXPECTED_TYPES[tag]
        assert asset.headers["content-type"].startswith(expected), (url, asset.headers["content-type"])
        assert len(asset.content) > 500
    assert "cdn." not in answer.text
    assert "unpkg" not in answer.text


def test_the_asset_route_serves_only_the_pages_files(octopost: OctopostProcess) -> None:
    page = httpx.get(f"{octopost.url}/schema").text
    bundle = next(url for tag, url in references(page) if url.endswith("swagger-ui-bundle.js"))
    folder = bundle.rsplit("/", 1)[0]
    for name in ("index.j2", "swagger-ui-bundle.js.map", "..%2F__init__.py", "swagger-initializer.js"):
        answer = httpx.get(f"{octopost.url}{folder}/{name}")
        assert answer.status_code == 404, name
    assert httpx.get(f"{octopost.url}{bundle}").headers["cache-control"] == "public, max-age=86400"


def test_the_cdn_only_ui_is_gone(octopost: OctopostProcess) -> None:
    assert httpx.get(f"{octopost.url}/schema/scalar").status_code == 404
    assert httpx.get(f"{octopost.url}/schema/openapi.json").json()["info"]["title"] == "Octopost"
