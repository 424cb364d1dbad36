"""X (Twitter): tweepy for tweets (adapter.py, client.py), the shared httpx client for the v2 media upload tweepy lacks
(api.py, media_upload.py), what one tweet carries: polls and who may reply (tweet.py), credentials (auth.py), and
what X's answers mean (errors.py)."""

from adapters.twitter.adapter import TwitterAdapter

__all__ = ["TwitterAdapter"]
