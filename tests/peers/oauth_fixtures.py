"""The session's OAuth 2.0 authorization server (tests/peers/oauth_server.py), for a conftest to import.

One server per test process: tests share it, so they assert on what they did themselves (their own codes and
tokens, or differences of ``oauth_peer.state()`` counters), not on totals. For other settings (a public client,
registered callbacks...) a test starts its own with ``tests.peers.oauth_server.running_oauth_peer(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.oauth_server import OAuthPeer, running_oauth_peer


@pytest.fixture(scope="session")
def oauth_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthPeer]:
    """A confidential client (``oauth_peer.client_id``/``client_secret``, HTTP Basic at /token and /revoke), any
    redirect_uri, access tokens for 7200 s, codes for 30 s, a refresh token with every grant."""
    with running_oauth_peer(work_dir=tmp_path_factory.mktemp("oauth-peer")) as peer:
        yield peer
