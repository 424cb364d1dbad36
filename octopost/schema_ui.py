"""The API docs UI at /schema, offline: Swagger UI's files come from a Python package (swagger-ui-bundle-v2) and
are served by us, so the page loads nothing from a CDN (an air-gapped install, or a strict CSP, still has docs)."""

from __future__ import annotations

from litestar import get
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.response import File
from swagger_ui_bundle import swagger_ui_path

from octopost.errors import NotFound

DIST = swagger_ui_path  # .../vendor/swagger-ui-<version>: the version in our URLs, so a new one is never cached stale
ASSET_PATH = f"/schema/assets/{DIST.name}"

# Only the files the page loads: the package's templates and source maps are not ours to publish.
_MEDIA_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
_A_DAY = "public, max-age=86400"


@get(f"{ASSET_PATH}/{{name:str}}", include_in_schema=False)
async def swagger_asset(name: str) -> File:
    media_type = _MEDIA_TYPES.get(name)
    if media_type is None:
        raise NotFound(f"No docs asset {name!r}")
    return File(
        path=str(DIST.joinpath(name)),  # a real file in site-packages (the wheel installs unzipped)
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": _A_DAY},
    )


def offline_swagger() -> SwaggerRenderPlugin:
    """Swagger UI at /schema (the default page) and /schema/swagger, its files from ASSET_PATH."""
    return SwaggerRenderPlugin(
        path="/swagger",
        js_url=f"{ASSET_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSET_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSET_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSET_PATH}/favicon-32x32.png'>",
    )
