"""The quirks a site may show (``PUT /_fake/quirks``): how it refuses a session, PHP warnings before the JSON,
endpoints it lacks, and an error page from the web server in front."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import Response

PHP_WARNING = (
    b'<br />\n<b>Warning</b>:  Undefined array key "og_data" in <b>/var/www/html/core/apps/mobile_api/'
    b"app_ctrl.php</b> on line <b>217</b><br />\n"
)
UNAUTHORIZED_KINDS = ("body", "http", "invalid_access_token")


@dataclass
class Quirks:
    unauthorized: str = "body"  # body | http | invalid_access_token
    php_warning: list[str] = field(default_factory=list)  # endpoints ("*": all) whose answers PHP warnings precede
    missing: list[str] = field(default_factory=list)  # endpoints this site does not have
    http_error: dict[str, Any] | None = None  # {"endpoint", "status", "applied"}: the front server's error page


def unauthorized(quirks: Quirks) -> Response:
    """A call without a known session, answered the way this site's quirk says."""
    kind = quirks.unauthorized
    if kind == "invalid_access_token":
        return Response(200, {"status": 400, "error": "Invalid access token"})
    return Response(401 if kind == "http" else 200, {"code": 401, "data": [], "message": "Unauthorized Access"})
