"""Instagram (a Business or Creator account, Instagram API with Instagram Login at graph.instagram.com, or through
Facebook Login at graph.facebook.com): media containers published with media_publish (adapter.py, containers.py
over adapters/meta/), a thread's later segments as comments on the main post."""

from adapters.instagram.adapter import InstagramAdapter

__all__ = ["InstagramAdapter"]
