"""Ziik's content API (one tenant, mounted at ``/api`` as ``https://<tenant>.ziik.io/api`` is) as far as the real
adapter (adapters/ziik/) needs it, from docs.ziik.io (the ziikio/docs repository: authentication, content,
file/upload, errors, users) and the content API reference (shared/seeds/workplace-content-api.txt):

- ``POST /api/authenticate`` ``{"username", "password"}`` → ``[{"jwt", "expires"}]``, 422 for a wrong password;
  ``POST /api/renew`` (Bearer) → a new grant, 401 once the token expired or was revoked. The JWTs are HS256, signed
  here, with ``exp`` after ``lifetime_seconds`` (3600; ``PUT /_fake/tokens`` changes it);
- Bearer auth on every other route: missing, forged, expired or revoked → 401 in Ziik's envelope;
- ``GET /api/users/current``; ``POST /api/content`` (201, ``Location``; published from ``publish_on`` until
  ``unpublish_on``); ``DELETE /api/content/{id}`` (204; 403 for another user's item, ``POST /_fake/foreign_content``
  makes one; 404 once deleted);
- the upload flow: ``POST /api/upload`` → a presigned URL of the fake's storage, ``PUT /storage/{uuid}`` (S3's
  rules: the signed headers exactly, no ``Authorization`` beside the presigned query, S3's XML errors),
  ``POST /api/file/{id}/finalise`` → 204. An item created with ``fileCount`` n is published once n files are in.

Failures answer Ziik's documented envelope ``{"error": {"code", "message", "is_ziik_error"}}`` (the codes are the
fake's own: Ziik documents the envelope and the statuses, not its codes), with ``errors`` per field on a 422. The
shared faults (``Conditions``: 429 with Retry-After, 500) hit the writes (content, uploads, finalising) and are
re-shaped into that envelope; ``POST /_fake/fail_next`` makes the next n calls to a path fail with a status.

Strict where Ziik is (title required ≤255, the documented types, ``publish_on`` Unix seconds, group membership) and
stricter where that catches our mistakes: unknown fields are refused at every level, ``group`` and ``owner_unit``
together are refused, a body over 65,535 bytes (an undocumented limit we assume: a TEXT column), a poll needs a
question (≤255), 2+ distinct choices ``[{"title"}]`` (≤255) and a future ``close_at``, ``pinned.until`` must be in
the future, times that look like milliseconds are refused, and ``event`` is not modelled (refused).

Known: ``USERNAME``/``PASSWORD`` (user ``USER_ID``), and in content_checks.py (the body's checks) units
``HOME_UNIT`` and ``SECOND_UNIT``, ``GROUP_ID`` (a member), ``FOREIGN_GROUP_ID`` (not a member: 403), any other
group 404. ``created()`` rows: one per content item (``text`` is its HTML body). ``GET /_fake/contents``: every item
with its request, files and state.

Modules: errors.py (the envelopes), users.py (the user), tokens.py (JWTs), content_checks.py (a content body's
checks, the units and groups), contents.py (the items kept), state.py (what the fake keeps), uploads.py (the upload
flow) and routes.py (``FakeZiik``).
"""

from tests.fakes.ziik.content_checks import (
    FOREIGN_GROUP_ID,
    GROUP_ID,
    HOME_UNIT,
    MAX_BODY_BYTES,
    MAX_TITLE,
    SECOND_UNIT,
    UNITS,
    USER_TYPES,
    Invalid,
    check_content,
)
from tests.fakes.ziik.routes import FakeZiik
from tests.fakes.ziik.users import PASSWORD, USER_ID, USERNAME

__all__ = [
    "FOREIGN_GROUP_ID",
    "GROUP_ID",
    "HOME_UNIT",
    "MAX_BODY_BYTES",
    "MAX_TITLE",
    "PASSWORD",
    "SECOND_UNIT",
    "UNITS",
    "USERNAME",
    "USER_ID",
    "USER_TYPES",
    "FakeZiik",
    "Invalid",
    "check_content",
]
