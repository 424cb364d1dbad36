"""Shared pytest wiring. Peer fixtures (real servers on 127.0.0.1) live in tests/peers/, one module per peer."""

pytest_plugins = [
    "tests.peers.bluesky",
    "tests.peers.mastodon",
    "tests.peers.prism",
    "tests.peers.app",
    "tests.peers.media_server",
    "tests.peers.webhook_receiver",
    "tests.peers.postgres",
    "tests.peers.databases",
    "tests.peers.oauth_fixtures",
]
