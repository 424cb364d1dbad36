"""The Compose page at /app/compose: a post written in a form and sent through the REST API's own services.

Submitting creates the post exactly as ``POST /v1/posts`` would (a draft, a scheduled post, or one in the next
free queue slot); "publish now" then takes the path of ``POST /v1/posts/{id}/publish``. A refused post shows the
form again as it was typed, each problem beside its input, and nothing stays stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from litestar import Controller, Request, Response, get, post

from adapters.base import ReplyPolicy
from adapters.registry import UnsupportedPlatform, platform_info
from octopost.accounts import service as accounts
from octopost.dashboard.compose_form import GENERAL, ComposeInput, problems_by_field
from octopost.dashboard.render import redirect, render
from octopost.errors import ValidationFailed
from octopost.keys.service import Caller
from octopost.posts import preview, service
from octopost.posts.schemas import PostCreate, PostRead
from octopost.presets import service as presets
from octopost.runtime import Runtime


@dataclass(frozen=True)
class PlatformChoice:
    name: str  # the API's name (twitter)
    label: str  # what people call it (X)


@cache
def time_zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


class ComposeController(Controller):
    path = "/compose"
    opt = {"scope": "posts:write"}

    @get("/")
    async def compose_page(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Response[Any]:
        return await _form(request, runtime, caller, ComposeInput(), [])

    @post("/")
    async def compose(self, request: Request[Any, Any, Any], runtime: Runtime, caller: Caller) -> Response[Any]:
        form = await request.form()
        typed = ComposeInput.read({name: form.getall(name) for name in form})
        body, problems = typed.create_body()
        if problems:  # the time typed is no time: show it beside whatever else the API finds
            problems += [p for p in await _every_problem(runtime, caller, body) if p not in problems]
            return await _form(request, runtime, caller, typed, problems)
        try:
            if typed.when == "now":
                created = await _publish_now(runtime, caller, body)
            else:
                created = await service.create(runtime, caller, body)
        except ValidationFailed as exc:
            found = list(exc.details.get("errors") or [exc.message])
            # Create stops at the body's own problems before the platforms' limits: show those too, all at once.
            found += [p for p in await _every_problem(runtime, caller, body) if p not in found]
            return await _form(request, runtime, caller, typed, found)
        return redirect(request, f"/app/posts/{created.id}", _done_message(created, typed.when))


async def _publish_now(runtime: Runtime, caller: Caller, body: PostCreate) -> PostRead:
    """Checked as publishing checks it before anything is stored; then created and published like the API does."""
    found = await _every_problem(runtime, caller, body)
    if found:
        raise ValidationFailed.of(found)
    draft = await service.create(runtime, caller, body)
    try:
        return await service.publish(runtime, caller, draft.id)
    except ValidationFailed:
        await service.delete(runtime, caller, draft.id)  # refused after all (an account went away): keep nothing
        raise


async def _every_problem(runtime: Runtime, caller: Caller, body: PostCreate) -> list[str]:
    """What ``POST /v1/posts/validate`` finds: the body's problems and every platform's (accounts included)."""
    checked = await preview.preview_body(runtime, caller, body)
    return [*checked.problems, *(p for platform in checked.platforms.values() for p in platform.problems)]


def _done_message(created: PostRead, when: str) -> str:
    if when == "now":
        return "Publishing now."
    if created.scheduled_for:
        return f"Scheduled for {created.scheduled_for} (UTC)."
    return "Saved as a draft."


async def _form(
    request: Request[Any, Any, Any], runtime: Runtime, caller: Caller, typed: ComposeInput, problems: list[str]
) -> Response[Any]:
    connected = await accounts.list_accounts(runtime, caller, None)
    names = list(dict.fromkeys(a.platform for a in connected if a.is_active))
    placed = problems_by_field(problems, typed.versions)
    return render(
        request,
        "compose.html",
        {
            "title": "Compose",
            "typed": typed,
            "platforms": [_choice(name) for name in names],
            "presets": (await presets.list_presets(runtime, caller)).presets,
            "reply_policies": [p.value for p in ReplyPolicy],
            "time_zones": time_zones(),
            "problems": placed,
            "general_problems": placed.get(GENERAL, []),
            "problem_count": len(problems),
        },
        status_code=422 if problems else 200,
    )


def _choice(name: str) -> PlatformChoice:
    try:
        info = platform_info(name)
    except UnsupportedPlatform:
        return PlatformChoice(name, name)
    return PlatformChoice(name, info.display_name or name)
