"""YouTube: a video uploaded through the Data API v3's resumable protocol (upload.py) with its metadata
(metadata.py), comments on it as the thread (comments.py), and what Google's answers mean (errors.py)."""

from adapters.youtube.adapter import YouTubeAdapter

__all__ = ["YouTubeAdapter"]
