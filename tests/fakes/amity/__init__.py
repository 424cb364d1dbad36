"""Amity Social Cloud as far as the real adapter (adapters/amity/, httpx) needs it: ``GET /api/v4/me/followInfo``,
``GET /api/v3/users/{userId}``, uploads (``POST /api/v4/images``, ``/api/v4/videos``, ``/api/v4/files``;
multipart ``files``), ``PUT``/``GET /api/v3/files/{fileId}`` (alt text), ``POST /api/v3/polls``,
``POST /api/v4/posts``, ``GET /api/v3/posts/{postId}``, ``POST /api/v3/comments``,
``GET /api/v3/comments/{commentId}`` and ``DELETE /api/v4/posts/{postId}``/``/api/v4/comments/{commentId}`` (the
author's own; soft, ``isDeleted``, unless ``permanent=true``; 400300 Forbidden for another's, 404 once deleted).
Fields, limits and errors as the seed (../shared/seeds/amity-create-post-api.txt) and Amity's API reference give
them, answered in Amity's envelope ``{"status": "error", "code", "message", "data": {"detail": [...]}}`` with its
HTTP statuses.

Strict where Amity is: ``Authorization: Bearer <token>`` (any token is a user, the token names it, except
``REVOKED_TOKEN``: 401 with code 400100; ``VISITOR_TOKEN`` may read but not write: 403999); a post needs text or at
least one attachment; text ≤20,000 UTF-16 code units (posts and comments; a parameter error: 422, code 500000,
with the field's detail); attachments ≤10, each naming a file that was uploaded, of its type; tags ≤5 of ≤24;
hashtags ≤30 of ≤100; mentionees ≤2 of ``{"type": "user", "userIds"}``; a custom ``postId``/``commentId`` taken
already answers 400315 "Data already exists" (403); a poll post names a poll created here; a comment's
``referenceId`` must be a post (404, 400400); a community target must exist (404) and have the user as a member
(403, 400100 "is not join this community"); a user target is the caller's own feed (403, 400301 otherwise).
Uploads take JPG/PNG images and MP4/QuickTime/WebM videos (by their bytes). Stricter than Amity on purpose:
unknown fields are refused (400, 400000), attachments on a poll post are refused (Amity ignores them), and poll
questions (≤500) and answers (≤60) are held to Amity UIKit's limits.

Communities: ``COMMUNITY_ID`` (every user is a member), ``CLOSED_COMMUNITY_ID`` (nobody is).

Control: ``PUT /_fake/next_error`` ``{"status", "code", "message", "count"}`` answers the next ``count`` API calls
with that error envelope (a test's way to meet each of Amity's error codes); ``POST /_fake/reset`` drops them.

Faults (``Conditions``) hit the creates and uploads and are answered as Amity does: a 429 carries code 400311
("RateLimit Exceed."), a 5xx code 500000 ("Unexpected error").

``created()`` rows: one per post or comment; ``idempotency_key`` is the id the client chose for it (None when it
chose none); ``reply_to`` is the post a comment is on.

Modules: errors.py (the envelope and ``Refusal``), users.py (tokens), bodies.py (shared body checks),
communities.py (post targets), state.py (what the fake keeps), files.py, polls.py, posts.py, comments.py (the route
groups) and routes.py (``FakeAmity``).
"""

from tests.fakes.amity.bodies import MAX_HASHTAG, MAX_HASHTAGS, MAX_ID, MAX_MENTIONEES, MAX_TAG, MAX_TAGS, MAX_TEXT
from tests.fakes.amity.communities import CLOSED_COMMUNITY_ID, COMMUNITY_ID
from tests.fakes.amity.errors import Refusal
from tests.fakes.amity.files import MAX_ALT_TEXT, MAX_ATTACHMENTS, MAX_UPLOAD_BYTES
from tests.fakes.amity.polls import MAX_POLL_ANSWER, MAX_POLL_ANSWERS, MAX_POLL_QUESTION
from tests.fakes.amity.routes import FakeAmity
from tests.fakes.amity.users import REVOKED_TOKEN, VISITOR_TOKEN

__all__ = [
    "CLOSED_COMMUNITY_ID",
    "COMMUNITY_ID",
    "MAX_ALT_TEXT",
    "MAX_ATTACHMENTS",
    "MAX_HASHTAG",
    "MAX_HASHTAGS",
    "MAX_ID",
    "MAX_MENTIONEES",
    "MAX_POLL_ANSWER",
    "MAX_POLL_ANSWERS",
    "MAX_POLL_QUESTION",
    "MAX_TAG",
    "MAX_TAGS",
    "MAX_TEXT",
    "MAX_UPLOAD_BYTES",
    "REVOKED_TOKEN",
    "VISITOR_TOKEN",
    "FakeAmity",
    "Refusal",
]
