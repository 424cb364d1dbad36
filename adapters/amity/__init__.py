"""Amity Social Cloud: a user posting to a feed (adapter.py), threads as comments on the main post, over httpx
(api.py); what its requests carry (content.py), media uploads (uploads.py), ``platform_options.amity``
(options.py) and the error translation (errors.py)."""

from adapters.amity.adapter import AmityAdapter

__all__ = ["AmityAdapter"]
