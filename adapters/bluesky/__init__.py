"""Bluesky (AT Protocol): the adapter (adapter.py), its error translation (errors.py), rich-text facets (facets.py)."""

from adapters.bluesky.adapter import BlueskyAdapter

__all__ = ["BlueskyAdapter"]
