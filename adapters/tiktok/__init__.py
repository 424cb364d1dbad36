"""TikTok: the Content Posting API (open.tiktokapis.com/v2) — creator_info first, a video (file upload in chunks,
or pulled from our URL) or photos (pulled), then the publish status polled through Pending (adapter.py); TikTok's
envelope (api.py, errors.py). Its OAuth app (client_key, the secret in the form, rotating refresh tokens) is the
engine's to use: octopost/oauth/ connects and refreshes it."""

from adapters.tiktok.adapter import TikTokAdapter

__all__ = ["TikTokAdapter"]
