"""The Mastodon adapter's DeletesPost against mastodon_mock: a thread deleted replies first, main last, each status
gone from the server; deleting one already gone succeeds (what a resumed unpublish repeats)."""

from __future__ import annotations

from adapters.base import DeletesPost
from tests.adapters.masto.support import MakeAdapter, publish_thread
from tests.peers.mastodon import MastodonAccount, MastodonPeer


async def test_a_thread_is_deleted_segment_by_segment_and_a_repeat_succeeds(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, DeletesPost)
    refs = await publish_thread(adapter, [("one", ()), ("two", ()), ("three", ())], "del-thread")
    assert len(mastodon_peer.statuses(mastodon_account.token)) == 3
    for ref in reversed(refs):
        await adapter.delete(ref)
    assert mastodon_peer.statuses(mastodon_account.token) == []
    await adapter.delete(refs[0])  # already gone: success by contract
