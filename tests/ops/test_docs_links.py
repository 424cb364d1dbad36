"""The README, docs/ and deploy/ link to files and headings that exist (the README was split into docs/ pages:
a link left pointing at a moved section would be a dead end)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text())
    return {_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _pages() -> list[Path]:
    return [REPO / "README.md", REPO / "deploy" / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def test_every_relative_link_reaches_a_file_and_heading() -> None:
    dead = []
    for page in _pages():
        for target in _LINK.findall(_FENCE.sub("", page.read_text())):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                dead.append(f"{page.relative_to(REPO)}: {target} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                dead.append(f"{page.relative_to(REPO)}: {target} (no such heading)")
    assert not dead, "\n".join(dead)


def test_the_readme_keeps_the_two_commands_first_and_links_every_docs_page() -> None:
    readme = (REPO / "README.md").read_text()
    first_block = readme.split("```")[1].splitlines()[1:]  # after the fence's "sh"
    assert [line.split("#")[0].strip() for line in first_block if line.strip()] == ["make run", "make test"]
    for page in ("api", "platforms", "operations", "design", "cli", "mcp", "dashboard"):
        assert f"](docs/{page}.md)" in readme, page
    assert "Copyright (c) 2026 The Octopost developers" in (REPO / "LICENSE").read_text()
