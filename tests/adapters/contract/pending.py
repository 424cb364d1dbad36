"""Adapters written ahead of their registration (issue 11's platforms wait for the engine's processing step): the
declaration checks run over them too, so they meet the contract the day they are registered."""

from __future__ import annotations

from adapters.base import Adapter, Platform
from adapters.instagram import InstagramAdapter
from adapters.threads import ThreadsAdapter

PENDING_REGISTRATION: tuple[tuple[Platform, type[Adapter]], ...] = (
    (Platform.INSTAGRAM, InstagramAdapter),
    (Platform.THREADS, ThreadsAdapter),
)
