"""HTTP routes for /v1/posts (the Octopost seed's paths and codes)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import Parameter

from octopost.errors import error_responses
from octopost.idempotency.service import Idempotency
from octopost.keys.service import Caller
from octopost.posts import bulk, listing, preview, retry, service, unpublish
from octopost.posts.bulk_http import BULK_MAX_BODY_BYTES, BulkOperation, read_rows
from octopost.posts.schemas import (
    BulkResult,
    PostCreate,
    PostList,
    PostPreview,
    PostRead,
    PostUpdate,
    RetryRequest,
    UnpublishRequest,
)
from octopost.runtime import Runtime
from octopost.series import preview as series_preview
from octopost.series.schemas import OccurrenceList


class PostController(Controller):
    path = "/v1/posts"
    tags = ["posts"]
    opt = {"scope": "posts:write"}  # reads override it with posts:read

    @post(
        "/",
        status_code=201,
        summary="Create a post (draft, or scheduled when scheduled_for is given)",
        responses=error_responses(409, 422),
    )
    async def create(self, data: PostCreate, runtime: Runtime, caller: Caller, idempotency: Idempotency) -> PostRead:
        return await idempotency.run(lambda: service.create(runtime, caller, data))

    @post(
        "/validate",
        status_code=200,
        summary="Check a post as publishing it would, storing nothing (counts per segment, every problem)",
        responses=error_responses(422),  # a body that is not a post's shape at all; its problems answer 200
        opt={"scope": "posts:read"},
    )
    async def validate(self, data: PostCreate, runtime: Runtime, caller: Caller) -> PostPreview:
        return await preview.preview_body(runtime, caller, data)

    @post(
        "/bulk",
        status_code=200,
        summary="Import posts from a JSON array of create bodies or a CSV (dry_run: check only; atomic: all or none)",
        responses=error_responses(409, 422),
        operation_class=BulkOperation,
        request_max_body_size=BULK_MAX_BODY_BYTES,
        opt={"also_accepts": ("text/csv",)},
    )
    async def bulk_import(
        self,
        request: Request[Any, Any, Any],
        runtime: Runtime,
        caller: Caller,
        idempotency: Idempotency,
        dry_run: bool = Parameter(default=False, description="check every row as create would, store nothing"),
        atomic: bool = Parameter(default=False, description="create nothing (422 with the rows) if any row is invalid"),
    ) -> BulkResult:
        body = await request.body()
        rows = read_rows(request.headers.get("content-type", ""), body, runtime.settings.bulk_max_rows)
        return await idempotency.run(lambda: bulk.import_rows(runtime, caller, rows, dry_run=dry_run, atomic=atomic))

    @post(
        "/{post_id:str}/validate",
        status_code=200,
        summary="Check a stored post as publishing it would",
        responses=error_responses(404),
        opt={"scope": "posts:read"},
    )
    async def validate_stored(self, post_id: str, runtime: Runtime, caller: Caller) -> PostPreview:
        return await preview.preview_stored(runtime, caller, post_id)

    @get("/", summary="List posts, newest first", responses=error_responses(422), opt={"scope": "posts:read"})
    async def list_posts(
        self,
        runtime: Runtime,
        caller: Caller,
        status: str | None = Parameter(default=None, description="draft, scheduled, publishing, published, failed"),
        limit: int = Parameter(default=10, description="1 to 100"),
        offset: int = Parameter(default=0, description="posts to skip"),
        scheduled_from: str | None = Parameter(default=None, description="scheduled at or after (ISO 8601)"),
        scheduled_to: str | None = Parameter(default=None, description="scheduled before (ISO 8601)"),
        sort: str = Parameter(default="created_at", description="created_at (newest first) or scheduled_for"),
    ) -> PostList:
        query = listing.page_query(status, limit, offset, scheduled_from, scheduled_to, sort)
        return await listing.list_posts(runtime, caller, query)

    @get("/{post_id:str}", summary="Get a post", responses=error_responses(404), opt={"scope": "posts:read"})
    async def get_post(self, post_id: str, runtime: Runtime, caller: Caller) -> PostRead:
        return await service.get(runtime, caller, post_id)

    @get(
        "/{post_id:str}/occurrences",
        summary="The next occurrences of a recurring post's series (made already or not)",
        responses=error_responses(404, 422),
        opt={"scope": "posts:read"},
    )
    async def occurrences(
        self,
        post_id: str,
        runtime: Runtime,
        caller: Caller,
        count: int = Parameter(default=5, description="1 to 50"),
    ) -> OccurrenceList:
        return await series_preview.occurrences(runtime, caller, post_id, count)

    @put("/{post_id:str}", summary="Update a draft or scheduled post", responses=error_responses(404, 409, 422))
    async def update(self, post_id: str, data: PostUpdate, runtime: Runtime, caller: Caller) -> PostRead:
        return await service.update(runtime, caller, post_id, data)

    @delete(
        "/{post_id:str}",
        status_code=204,
        summary="Delete a post (cancels a scheduled one)",
        responses=error_responses(404, 409),
    )
    async def delete_post(self, post_id: str, runtime: Runtime, caller: Caller) -> None:
        await service.delete(runtime, caller, post_id)

    @post(
        "/{post_id:str}/publish",
        status_code=200,
        summary="Publish now (returns at once with publishing)",
        responses=error_responses(404, 409, 422),
        opt={"rate_limit": "publish"},  # its own, lower budget
    )
    async def publish(self, post_id: str, runtime: Runtime, caller: Caller, idempotency: Idempotency) -> PostRead:
        return await idempotency.run(lambda: service.publish(runtime, caller, post_id))

    @post(
        "/{post_id:str}/retry",
        status_code=200,
        summary="Publish again on the platforms that failed (returns at once with publishing)",
        responses=error_responses(404, 409, 422),
        opt={"rate_limit": "publish"},
    )
    async def retry_post(
        self, post_id: str, runtime: Runtime, caller: Caller, idempotency: Idempotency, data: RetryRequest | None = None
    ) -> PostRead:
        return await idempotency.run(lambda: retry.retry(runtime, caller, post_id, data or RetryRequest()))

    @post(
        "/{post_id:str}/unpublish",
        status_code=200,
        summary="Delete what the post published from its platforms (every segment; runs in the scheduler)",
        responses=error_responses(404, 409, 422),
    )
    async def unpublish_post(
        self, post_id: str, runtime: Runtime, caller: Caller, data: UnpublishRequest | None = None
    ) -> PostRead:
        return await unpublish.unpublish(runtime, caller, post_id, data or UnpublishRequest())
