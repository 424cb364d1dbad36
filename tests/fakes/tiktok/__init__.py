"""TikTok's Content Posting API as the adapter (adapters/tiktok/) uses it (routes.py), with TikTok's envelope and
rules (envelope.py). Tokens: any ``act.`` token is the creator ``octopost.fake`` (every scope); ``EXPIRED_TOKEN``
answers access_token_invalid, ``UNAUDITED_TOKEN`` is an unaudited app (SELF_ONLY only); once told to trust the OAuth
peer (``RunningFake.trust_authorization_server``), a live peer token is the creator ``octopost.peer`` (open_id
``PEER_OPEN_ID``) for the calls its scopes allow (user.info.basic: user/info; video.publish: the rest).
Control: ``PUT /_fake/creator`` (creator_info's fields), ``PUT /_fake/app {"audited"}`` (false: the peer's client
is an unaudited app), ``PUT /_fake/processing {"polls", "fail_reason"}`` (status polls before the end, for publishes
to come), ``POST /_fake/processing/finish`` (every waiting publish completes at its next status fetch),
``PUT /_fake/next_error {"path", "code", "status"}`` (the next call of a path answers that error, HTTP 200 too;
code ``reset_after``: the call is applied and its connection reset, on ``/upload`` at the last chunk; ``GET``:
the one still to happen, ``{}`` once it has),
``GET /_fake/publishes`` (each with the SHA-256 of the files TikTok took). ``created()``: one row per post
published (at PUBLISH_COMPLETE)."""

from tests.fakes.tiktok.envelope import EXPIRED_TOKEN, OWN_OPEN_ID, PEER_OPEN_ID, UNAUDITED_TOKEN
from tests.fakes.tiktok.routes import PEER_CREATOR, FakeTikTok

__all__ = ["EXPIRED_TOKEN", "OWN_OPEN_ID", "PEER_CREATOR", "PEER_OPEN_ID", "UNAUDITED_TOKEN", "FakeTikTok"]
