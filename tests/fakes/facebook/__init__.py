"""The Graph API (``/v21.0``) as far as the Facebook Pages adapter (adapters/facebook/) needs it: the long-lived
token exchange (``/oauth/access_token``, exchange.py: strict on the app and on the OAuth peer's token and scopes),
``/me/accounts``, node reads (``/{id}?fields=``), ``/{page}/feed`` (read and post), ``/{page}/photos``,
``/{page}/videos``, ``/{object}/comments`` (read and post) and ``DELETE /{id}``.

Strict where Graph is: a token (``Authorization: Bearer`` or ``access_token``; none: 104; unknown: 190; expired:
190 subcode 463); writes on a Page's edges only with that Page's own token (the user's: (#200) pages_manage_posts);
``/me/accounts`` only with the user's token, each Page with its token and tasks; a field a node does not have is
(#100); photos must be image bytes (else 324), videos MP4/MOV (else 352); ``attached_media[i]`` must name an
unpublished photo of the Page not yet attached; the same message posted again on the Page is (#506) "Duplicate
status message"; a video stays ``processing`` for ``Settings.video_polls`` status reads, then ``ready`` (or
``error`` with the processing phase's errors), with a site-relative ``permalink_url`` as Graph gives videos;
deleting what is gone is (#100) subcode 33. Stricter on purpose: unknown parameters of an edge are refused.

Control: ``PUT /_fake/settings`` (video_polls, fail_video, exchange_token: the long-lived user token the exchange
answers, LONG_LIVED_USER_TOKEN or TWO_PAGES_USER_TOKEN; feed_lag_reads: feed reads a new post stays out of the
feed, as Graph's eventual consistency does); ``PUT /_fake/next_error`` with ``{"edge": "feed", "lose_answer": true}``:
the next post is made and its answer lost (connection reset); ``PUT /_fake/next_error`` (``{"edge": "feed", "code":
32}``: the next call of that edge answers Graph's envelope for the code: 4/17/32/613 throttled with
``x-business-use-case-usage``, 368 blocked, 1/2 transient); ``GET /_fake/items`` (posts and comments),
``/_fake/photos``, ``/_fake/videos``. ``created()``: one row per post, video and comment.
"""

from tests.fakes.facebook.graph import (
    APP_ID,
    APP_SECRET,
    CAFE_PAGE_ID,
    CAFE_PAGE_NAME,
    CAFE_PAGE_TOKEN,
    EXCHANGE_SCOPES,
    EXPIRED_TOKEN,
    LONG_LIVED_USER_TOKEN,
    OTHER_PAGE_ID,
    PAGE_ID,
    PAGE_NAME,
    PAGE_TOKEN,
    TWO_PAGES_USER_TOKEN,
    USER_TOKEN,
    VERSION_PREFIX,
)
from tests.fakes.facebook.routes import FakeFacebook

__all__ = [
    "APP_ID",
    "APP_SECRET",
    "CAFE_PAGE_ID",
    "CAFE_PAGE_NAME",
    "CAFE_PAGE_TOKEN",
    "EXCHANGE_SCOPES",
    "EXPIRED_TOKEN",
    "LONG_LIVED_USER_TOKEN",
    "OTHER_PAGE_ID",
    "PAGE_ID",
    "PAGE_NAME",
    "PAGE_TOKEN",
    "TWO_PAGES_USER_TOKEN",
    "USER_TOKEN",
    "VERSION_PREFIX",
    "FakeFacebook",
]
