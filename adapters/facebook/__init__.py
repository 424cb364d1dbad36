"""Facebook Pages: a Page's posts through the Graph API (adapter.py), the Page's token taken from the user's
(pages.py), photos uploaded unpublished and attached, one video through the video upload and its processing
(media.py), a post found again in the Page's feed (delivery.py), and Graph's error envelope (api.py, errors.py)."""

from adapters.facebook.adapter import FacebookAdapter

__all__ = ["FacebookAdapter"]
