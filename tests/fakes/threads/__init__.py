"""The Threads API (graph.threads.net) as far as the adapter needs it, strict to Meta's Threads reference: the
profile (``GET /me``), containers (``POST /{user}/threads`` with ``media_type`` TEXT/IMAGE/VIDEO/CAROUSEL, items
``is_carousel_item``), their status (``GET /{container}?fields=status,error_message``), ``POST /{user}/
threads_publish`` with ``creation_id``, permalinks, ``threads_publishing_limit``, the posts and replies edges,
``DELETE /{media}``, ``GET /access_token?grant_type=th_exchange_token`` (the long-lived token at connect,
tests/fakes/meta/exchange.py) and ``GET /refresh_access_token?grant_type=th_refresh_token``.

Strict where Threads is: tokens start with ``TH`` (tests/fakes/meta/graph.py: expired and revoked ones answer 190);
text at most 500 characters (an emoji as its UTF-8 bytes), more than 5 different links
``THREADS_API__LINK_LIMIT_EXCEEDED``; a TEXT container needs text, IMAGE an ``image_url``, VIDEO a ``video_url``; a
carousel 2-20 FINISHED items of the same user; ``reply_to_id`` a published post; ``reply_control`` one of Threads'
values; unknown parameters refused. Media is fetched from its URL when the container is made: an image that cannot
be fetched is refused at once (9004/2207052), a video turns its container to ERROR (``FAILED_DOWNLOADING_VIDEO``).
A container publishes once: FINISHED only, then PUBLISHED; the quota (250 posts, 1,000 replies a day) is enforced
at ``threads_publish`` (9/2207042). Control plane: tests/fakes/meta/base.py.
"""

from tests.fakes.threads.routes import USER_ID, USERNAME, FakeThreads

__all__ = ["USERNAME", "USER_ID", "FakeThreads"]
