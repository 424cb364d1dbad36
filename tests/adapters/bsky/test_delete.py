"""The Bluesky adapter's DeletesPost against the real PDS: deleteRecord by the at:// URI's rkey, the record gone;
a repeated delete succeeds (deleteRecord of an absent record is a no-op)."""

from __future__ import annotations

from adapters.base import DeletesPost, PublishRequest
from octopost.ids import new_tid
from tests.adapters.bsky.support import POST, adapter_for, rkey_of, text_segment
from tests.peers.bluesky import BskyAccount, BskyPds


async def test_a_post_is_deleted_by_its_rkey_and_a_repeat_succeeds(
    bsky_pds: BskyPds, bsky_account: BskyAccount, http
) -> None:
    adapter = adapter_for(bsky_pds, bsky_account.credentials, http)
    assert isinstance(adapter, DeletesPost)
    ref = await adapter.publish(PublishRequest(segment=text_segment("to be deleted"), idempotency_key=new_tid()))
    assert bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref)) is not None
    await adapter.delete(ref)
    assert bsky_pds.get_record(bsky_account.did, POST, rkey_of(ref)) is None
    await adapter.delete(ref)
