"""The posts tools: each one the service call of its /v1/posts route, with that route's scope."""

from __future__ import annotations

from typing import Annotated

import msgspec

from octopost.keys.service import Caller
from octopost.mcp_endpoint.toolkit import OctopostTool, route_opt
from octopost.posts import listing, preview, retry, service
from octopost.posts.controllers import PostController
from octopost.posts.schemas import PostCreate, PostList, PostPreview, PostRead, RetryRequest
from octopost.runtime import Runtime

PostId = Annotated[str, msgspec.Meta(description="The post's id (post_…), as create_post or list_posts gave it")]


class PostRef(msgspec.Struct, forbid_unknown_fields=True):
    post_id: PostId


class PostPage(msgspec.Struct, forbid_unknown_fields=True):
    status: Annotated[
        str | None, msgspec.Meta(description="Only this status: draft, scheduled, publishing, published, failed")
    ] = None
    limit: Annotated[int, msgspec.Meta(description="Posts per page, 1 to 100")] = 10
    offset: Annotated[int, msgspec.Meta(description="Posts to skip (for the next page: offset + limit)")] = 0
    scheduled_from: Annotated[
        str | None, msgspec.Meta(description="Only posts scheduled at or after this ISO 8601 time (with a timezone)")
    ] = None
    scheduled_to: Annotated[str | None, msgspec.Meta(description="Only posts scheduled before this ISO 8601 time")] = (
        None
    )
    sort: Annotated[
        str, msgspec.Meta(description="created_at (newest first) or scheduled_for (soonest first)")
    ] = "created_at"


class RetryArguments(msgspec.Struct, forbid_unknown_fields=True):
    post_id: PostId
    platforms: Annotated[
        list[str] | None, msgspec.Meta(description="Only these of the failed platforms (default: every failed one)")
    ] = None
    include_unconfirmed: Annotated[
        bool,
        msgspec.Meta(description="Also platforms whose outcome is unknown: their last segment may then appear twice"),
    ] = False


async def _validate(runtime: Runtime, caller: Caller, data: PostCreate) -> PostPreview:
    return await preview.preview_body(runtime, caller, data)


async def _create(runtime: Runtime, caller: Caller, data: PostCreate) -> PostRead:
    return await service.create(runtime, caller, data)


async def _publish(runtime: Runtime, caller: Caller, ref: PostRef) -> PostRead:
    return await service.publish(runtime, caller, ref.post_id)


async def _list(runtime: Runtime, caller: Caller, page: PostPage) -> PostList:
    query = listing.page_query(page.status, page.limit, page.offset, page.scheduled_from, page.scheduled_to, page.sort)
    return await listing.list_posts(runtime, caller, query)


async def _get(runtime: Runtime, caller: Caller, ref: PostRef) -> PostRead:
    return await service.get(runtime, caller, ref.post_id)


async def _retry(runtime: Runtime, caller: Caller, data: RetryArguments) -> PostRead:
    wanted = RetryRequest(platforms=data.platforms, include_unconfirmed=data.include_unconfirmed)
    return await retry.retry(runtime, caller, data.post_id, wanted)


POST_TOOLS = (
    OctopostTool(
        name="validate_post",
        description=(
            "Check a post as publishing it now would, storing nothing. Takes the same fields as create_post and "
            "answers, per platform, whether it is valid, every problem (text over the platform's limit, media it "
            "refuses, no connected account), and each segment's length counted the platform's way with its limit "
            "and what remains. Call it before create_post and fix the problems it lists."
        ),
        arguments=PostCreate,
        answers=PostPreview,
        route=route_opt(PostController, PostController.validate),
        run=_validate,
        read_only=True,
    ),
    OctopostTool(
        name="create_post",
        description=(
            "Create a post. content is its text and platforms where it goes (e.g. [\"mastodon\", \"bluesky\"]); "
            "segments add replies that make a thread, media attaches images or a video by URL. Without "
            "scheduled_for the post is a draft (publish it with publish_post); with scheduled_for an ISO 8601 time "
            "with a timezone (e.g. 2026-05-01T09:00:00Z) it is scheduled and publishes then; with scheduled_for "
            "\"next_free_slot\" it takes the workspace's next free queue slot (see queue_slots). A scheduled post "
            "is checked against every platform at once and refused with all its problems (code validation_error) "
            "if it could not publish. Answers the stored post, with its id."
        ),
        arguments=PostCreate,
        answers=PostRead,
        route=route_opt(PostController, PostController.create),
        run=_create,
    ),
    OctopostTool(
        name="publish_post",
        description=(
            "Publish a draft or scheduled post now, on every platform of the post. Answers at once with status "
            "publishing; the platforms are called in the background, so read the outcome with get_post "
            "(platform_results: each platform's post URL, or its error). Counts against the key's publish "
            "rate limit."
        ),
        arguments=PostRef,
        answers=PostRead,
        route=route_opt(PostController, PostController.publish),
        run=_publish,
        open_world=True,
    ),
    OctopostTool(
        name="list_posts",
        description=(
            "List this workspace's posts a page at a time, newest first (or soonest scheduled first with "
            "sort=scheduled_for), optionally only those in one status or scheduled within a window of time. "
            "total is how many posts match; page on with offset."
        ),
        arguments=PostPage,
        answers=PostList,
        route=route_opt(PostController, PostController.list_posts),
        run=_list,
        read_only=True,
    ),
    OctopostTool(
        name="get_post",
        description=(
            "Get one post by id: its content, platforms, status (draft, scheduled, publishing, published, "
            "failed), scheduled_for, and platform_results (per platform: success and the published post's URL, "
            "or the error and its category)."
        ),
        arguments=PostRef,
        answers=PostRead,
        route=route_opt(PostController, PostController.get_post),
        run=_get,
        read_only=True,
    ),
    OctopostTool(
        name="retry_post",
        description=(
            "Publish a failed post again on the platforms that failed (or only those listed), leaving the ones "
            "that succeeded alone; a thread resumes after its last posted segment. Answers at once with status "
            "publishing; read the outcome with get_post. Counts against the key's publish rate limit."
        ),
        arguments=RetryArguments,
        answers=PostRead,
        route=route_opt(PostController, PostController.retry_post),
        run=_retry,
        open_world=True,
    ),
)
