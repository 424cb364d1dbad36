"""TikTok's Content Posting API as the adapter (adapters/tiktok/) uses it (routes.py), with TikTok's envelope and
rules (envelope.py). Tokens: any ``act.`` token is the creator ``octopost.fake``; ``EXPIRED_TOKEN`` answers
access_token_invalid, ``UNAUDITED_TOKEN`` is an unaudited app (SELF_ONLY only). Control: ``PUT /_fake/creator``
(creator_info's fields), ``PUT /_fake/processing {"polls", "fail_reason"}`` (status polls before the end),
``PUT /_fake/next_error {"path", "code", "status"}`` (the next call of a path answers that error, HTTP 200 too;
code ``reset_after``: the call is applied and its connection reset, on ``/upload`` at the last chunk),
``GET /_fake/publishes``. ``created()``: one row per post published (at PUBLISH_COMPLETE)."""

from tests.fakes.tiktok.envelope import CLIENT_KEY, CLIENT_SECRET, EXPIRED_TOKEN, SEED_REFRESH, UNAUDITED_TOKEN
from tests.fakes.tiktok.routes import FakeTikTok

__all__ = ["CLIENT_KEY", "CLIENT_SECRET", "EXPIRED_TOKEN", "SEED_REFRESH", "UNAUDITED_TOKEN", "FakeTikTok"]
