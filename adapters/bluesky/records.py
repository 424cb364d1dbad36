"""The repository writes and reads of a post: its record created under a key chosen before the call (the segment's
idempotency key), with its threadgate in the same commit when the main post has a reply policy, and both found again
by that key. Each function is one SDK call (or a lookup after one) for the adapter's ``_call`` to run."""

from __future__ import annotations

from datetime import UTC, datetime

from atproto_client import AsyncClient, models
from atproto_client.exceptions import BadRequestError, RequestErrorBase

from adapters.base import ReplyPolicy
from adapters.bluesky.errors import SDK_ERRORS, may_have_committed, xrpc_error
from adapters.bluesky.gates import THREADGATE, threadgate

POST = "app.bsky.feed.post"
Created = tuple[str, str | None]  # the record's uri and cid


async def create_post(
    client: AsyncClient, did: str, rkey: str, record: models.AppBskyFeedPost.Record, gate: ReplyPolicy | None
) -> Created:
    """Create the post; with ``gate``, its threadgate too, in one applyWrites commit (as the Bluesky app does it: no
    moment in which anyone may reply). A key already taken means the segment was delivered before: the post found
    under it is the answer, and its gate is put again (the same key: one gate, whatever happened before)."""
    try:
        if gate is None:
            data = models.ComAtprotoRepoCreateRecord.Data(repo=did, collection=POST, rkey=rkey, record=record)
            created = await client.com.atproto.repo.create_record(data)
            return created.uri, created.cid
        uri = f"at://{did}/{POST}/{rkey}"
        writes = [
            models.ComAtprotoRepoApplyWrites.Create(collection=POST, rkey=rkey, value=record),
            models.ComAtprotoRepoApplyWrites.Create(
                collection=THREADGATE, rkey=rkey, value=threadgate(uri, gate, record.created_at)
            ),
        ]
        answer = await client.com.atproto.repo.apply_writes(
            models.ComAtprotoRepoApplyWrites.Data(repo=did, writes=writes)
        )
        post = (answer.results or [None])[0]
        if not isinstance(post, models.ComAtprotoRepoApplyWrites.CreateResult):
            raise ValueError(f"applyWrites answered no created post: {answer!r}")
        return post.uri, post.cid
    except RequestErrorBase as exc:
        # The PDS answers a taken record key with 500 (and a failed commit may still have landed).
        if not may_have_committed(exc) or (existing := await _lookup_quietly(client, did, rkey)) is None:
            raise
    if gate is not None:
        await put_gate(client, did, rkey, gate, existing[0])
    return existing


async def put_gate(client: AsyncClient, did: str, rkey: str, policy: ReplyPolicy, post_uri: str) -> None:
    """The post's threadgate, created or rewritten in place (putRecord under the post's key): safe to repeat."""
    gate = threadgate(post_uri, policy, now())
    data = models.ComAtprotoRepoPutRecord.Data(repo=did, collection=THREADGATE, rkey=rkey, record=gate)
    await client.com.atproto.repo.put_record(data)


async def get_record(
    client: AsyncClient, did: str, collection: str, rkey: str
) -> models.ComAtprotoRepoGetRecord.Response | None:
    try:
        return await client.com.atproto.repo.get_record({"repo": did, "collection": collection, "rkey": rkey})
    except BadRequestError as exc:
        if xrpc_error(exc.response.content if exc.response else None)[0] == "RecordNotFound":
            return None
        raise


async def _lookup_quietly(client: AsyncClient, did: str, rkey: str) -> Created | None:
    try:
        found = await get_record(client, did, POST, rkey)
    except SDK_ERRORS:
        return None  # the lookup failing says nothing: the original error stands
    return None if found is None else (found.uri, found.cid)


def now() -> str:
    """A record's ``createdAt``: UTC to the millisecond with a Z, as the Bluesky app writes it."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def delete_post(client: AsyncClient, did: str, rkey: str) -> None:
    """The post's record and its threadgate (if any) deleted. deleteRecord "deletes a record, or ensures it does not
    exist": deleting again (a resumed unpublish) succeeds."""
    for collection in (THREADGATE, POST):
        data = models.ComAtprotoRepoDeleteRecord.Data(repo=did, collection=collection, rkey=rkey)
        await client.com.atproto.repo.delete_record(data)
