"""POST/GET/DELETE /v1/media through `octopost serve`: sniffed types, probed sizes and durations, caps, isolation, the
signed public URL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from octopost.settings import Settings
from octopost.uploads.links import signed_public_url
from tests.media import make_jpeg, make_mp4, make_png
from tests.peers.app import OctopostProcess, make_octopost


def upload(api: httpx.Client, data: bytes, content_type: str = "application/octet-stream") -> httpx.Response:
    return api.post("/v1/media", content=data, headers={"Content-Type": content_type})


def uploaded(api: httpx.Client, data: bytes, content_type: str = "application/octet-stream") -> dict[str, Any]:
    response = upload(api, data, content_type)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_png_upload_by_multipart_is_sniffed_measured_and_read_back(
    api: httpx.Client, octopost: OctopostProcess
) -> None:
    png = make_png(6, 4)
    response = api.post("/v1/media", files={"file": ("picture.bin", png, "application/octet-stream")})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("med_")
    assert (body["content_type"], body["size"], body["width"], body["height"]) == ("image/png", len(png), 6, 4)
    assert body["duration_seconds"] is None
    assert body["url"].endswith(f"/v1/media/{body['id']}/file.png")
    assert api.get(f"/v1/media/{body['id']}").json() == body
    assert (octopost.data_dir / "media" / body["id"]).read_bytes() == png


def test_a_jpeg_and_an_mp4_as_raw_bodies(api: httpx.Client) -> None:
    jpeg = uploaded(api, make_jpeg(5, 7), "image/jpeg")
    assert (jpeg["content_type"], jpeg["width"], jpeg["height"]) == ("image/jpeg", 5, 7)

    mp4 = uploaded(api, make_mp4(16, 9, seconds=2.5, mdat_bytes=200_000), "video/mp4")
    assert (mp4["content_type"], mp4["width"], mp4["height"], mp4["duration_seconds"]) == ("video/mp4", 16, 9, 2.5)
    assert mp4["url"].endswith("/file.mp4")


def test_the_type_comes_from_the_bytes_not_the_name_or_the_declared_type(api: httpx.Client) -> None:
    text = api.post("/v1/media", files={"file": ("photo.png", b"hello, I am not a picture at all", "image/png")})
    assert text.status_code == 422, text.text
    assert text.json()["code"] == "validation_error"
    assert "is text" in text.json()["details"]["errors"][0]

    png = uploaded(api, make_png(), "video/mp4")
    assert png["content_type"] == "image/png"

    assert upload(api, b"").status_code == 422
    no_field = api.post("/v1/media", files={"other": ("x.png", make_png(), "image/png")})
    assert no_field.status_code == 422
    assert "'file'" in no_field.json()["error"]


def test_another_workspace_or_mode_gets_404(api: httpx.Client, octopost: OctopostProcess) -> None:
    mine = uploaded(api, make_png())
    for other in (octopost.client(workspace="media-other"), octopost.client(octopost.new_key("default", "test"))):
        assert other.get(f"/v1/media/{mine['id']}").status_code == 404
        assert other.delete(f"/v1/media/{mine['id']}").status_code == 404
    assert api.get(f"/v1/media/{mine['id']}").status_code == 200


def test_delete_removes_the_row_and_the_file(api: httpx.Client, octopost: OctopostProcess) -> None:
    mine = uploaded(api, make_png())
    assert api.delete(f"/v1/media/{mine['id']}").status_code == 204
    assert api.get(f"/v1/media/{mine['id']}").status_code == 404
    assert not (octopost.data_dir / "media" / mine["id"]).exists()


def _settings(octopost: OctopostProcess) -> Settings:
    return Settings(secret_key=octopost.env["OCTOPOST_SECRET_KEY"], public_url=octopost.url, data_dir=octopost.data_dir)


def test_the_signed_public_url_serves_the_bytes_and_refuses_expired_or_forged(
    api: httpx.Client, octopost: OctopostProcess
) -> None:
    png = make_png(3, 3)
    mine = uploaded(api, png)
    url = signed_public_url(_settings(octopost), mine["id"], ttl_seconds=60)

    served = httpx.get(url)  # no API key
    assert served.status_code == 200
    assert served.content == png
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-length"] == str(len(png))

    expired = signed_public_url(_settings(octopost), mine["id"], ttl_seconds=-1)
    assert httpx.get(expired).status_code == 404
    query = parse_qs(urlsplit(url).query)
    forged = url.replace(query["signature"][0], "0" * 64)
    assert httpx.get(forged).status_code == 404
    longer = url.replace(f"expires={query['expires'][0]}", f"expires={int(time.time()) + 10**6}")
    assert httpx.get(longer).status_code == 404


@pytest.fixture(scope="module")
def small_caps(tmp_path_factory: pytest.TempPathFactory) -> Any:
    service = make_octopost(
        tmp_path_factory.mktemp("caps"), OCTOPOST_UPLOAD_MAX_IMAGE_BYTES="200", OCTOPOST_UPLOAD_MAX_VIDEO_BYTES="5000"
    ).start()
    yield service
    service.stop()


def test_the_caps_per_kind_are_enforced_while_reading(small_caps: OctopostProcess) -> None:
    api = small_caps.client()
    small = make_png(2, 2)
    assert upload(api, small).status_code == 201
    big_image = upload(api, make_png(200, 200, rgb=(1, 2, 3)) + bytes(1000))
    assert big_image.status_code == 422, big_image.text
    assert "over the 200-byte cap" in big_image.json()["details"]["errors"][0]
    assert upload(api, make_mp4(mdat_bytes=3000)).status_code == 201  # a video may be larger than an image
    big_video = upload(api, make_mp4(mdat_bytes=50_000))
    assert big_video.status_code == 422
    assert "video is over the 5000-byte cap" in big_video.json()["error"]
    incoming = Path(small_caps.data_dir) / "media" / "incoming"
    assert list(incoming.iterdir()) == []  # refused bodies leave nothing behind
