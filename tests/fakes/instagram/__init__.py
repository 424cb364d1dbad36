"""Instagram's Content Publishing API (Instagram API with Instagram Login) as far as the adapter needs it, strict to
Meta's reference: the account (``GET /me``), containers (``POST /{ig-user-id}/media``: ``image_url`` with
``alt_text``, ``media_type`` REELS with ``video_url``, CAROUSEL with 2-10 ``children`` made with
``is_carousel_item``), ``GET /{container}?fields=status_code,status``, ``POST /{ig-user-id}/media_publish``,
permalinks, ``content_publishing_limit`` (100 posts a rolling day), the account's media, comments
(``POST /{media}/comments``), ``GET /access_token?grant_type=ig_exchange_token`` (the long-lived token at
connect, tests/fakes/meta/exchange.py) and ``GET /refresh_access_token?grant_type=ig_refresh_token``.

Strict where Instagram is: tokens start with ``IG`` (expired and revoked ones answer 190); a caption of at most
2,200 characters and 30 hashtags; JPEG images only; alt text on images only; unknown parameters refused; media
fetched from its URL when the container is made (an image that cannot be fetched 9004/2207052, one that is not
JPEG 36001/2207005; a video that cannot be fetched turns its container to ERROR); a container publishes once,
FINISHED only. Control plane: tests/fakes/meta/base.py.
"""

from tests.fakes.instagram.routes import USER_ID, USERNAME, FakeInstagram

__all__ = ["USERNAME", "USER_ID", "FakeInstagram"]
