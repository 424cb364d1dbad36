"""X (Twitter): tweepy for tweets, httpx for the v2 media upload tweepy lacks."""

from adapters.twitter.adapter import TwitterAdapter

__all__ = ["TwitterAdapter"]
