"""The Jinja2 templates (autoescaped) and the URLs of the dashboard's own static files.

A static URL carries a digest of the file (``/app/static/app.css?v=…``), so browsers may cache the files for a long
time and still fetch a changed one after an upgrade.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from octopost.timefmt import iso

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_PATH = "/app/static"


@cache
def static_url(name: str) -> str:
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_PATH}/{name}?v={digest}"


def _add_globals(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals["static_url"] = static_url
    engine.engine.filters["iso"] = iso


def dashboard_templates() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_add_globals)
