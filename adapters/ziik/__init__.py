"""Ziik, an employee-communication intranet: its content API, one content item per post (adapter.py), over httpx
(api.py), with a JWT session renewed before it expires (auth.py), the item's HTML body, poll and settings
(content.py, options.py), and its files by Ziik's upload flow (uploads.py)."""

from adapters.ziik.adapter import ZiikAdapter

__all__ = ["ZiikAdapter"]
