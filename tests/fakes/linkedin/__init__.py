"""LinkedIn's versioned REST API as far as the adapter (adapters/linkedin/) needs it: ``GET /v2/userinfo``,
``/rest/images`` and ``/rest/videos`` (initializeUpload, finalizeUpload, a video's status) with the upload URLs
they hand out (on the fake itself), ``/rest/posts`` (create, delete) and ``/rest/socialActions/{urn}/comments``.

Strict where LinkedIn is: the token as ``Authorization: Bearer`` (expired 65602, revoked 65601, unknown 65600,
each a 401 in LinkedIn's envelope ``{"status", "serviceErrorCode", "code", "message"}``; once told to trust the
OAuth peer, its live tokens are member ``PEER_SUB`` with the token's scopes only: /v2/userinfo needs ``openid
profile``, acting as the member ``w_member_social``, as ORG_ID ``w_organization_social``), ``LinkedIn-Version``
(missing: 400 VERSION_MISSING; not YYYYMM: 426 NONEXISTENT_VERSION) and ``X-Restli-Protocol-Version: 2.0.0`` on every
``/rest`` call; the author (and an upload's owner, a comment's actor) must be the token's member with
w_member_social or an organization it administers with w_organization_social (else 403 ACCESS_DENIED); unknown and
missing post fields are 422 with the field's path; the commentary is read as little text format (an unescaped
reserved character cuts the text there, as LinkedIn does; the 3,000 limit counts the text people see); the same
author and commentary twice is 422 "Content is a duplicate of urn:li:share:…"; media must be uploaded, owned by the
author and AVAILABLE; multiImage takes 2 to 20 images; a video's parts must arrive whole, each answered with its
ETag, and finalizeUpload must name the ETags in order; a finalized video stays PROCESSING for
``Settings.processing_polls`` status reads, then AVAILABLE (or PROCESSING_FAILED).

Control: ``PUT /_fake/settings`` (part_size, processing_polls, fail_processing), ``POST /_fake/finish_processing``
(every video processing now is done at its next status read), ``PUT /_fake/next_error``
(``{"path", "status", "message"}``: the next call under that path answers it; 429 is LinkedIn's daily throttle
envelope), ``GET /_fake/posts``, ``/_fake/comments``, ``/_fake/uploads``. ``created()``: one row per post and
comment (``text`` as people see it; ``reply_to`` the post a comment is on).
"""

from tests.fakes.linkedin.members import (
    ADMIN_TOKEN,
    EXPIRED_TOKEN,
    MEMBER_TOKEN,
    MEMBERS,
    OPENID_ONLY_TOKEN,
    ORG_ID,
    PEER_SUB,
    REVOKED_TOKEN,
)
from tests.fakes.linkedin.routes import FakeLinkedIn

__all__ = [
    "ADMIN_TOKEN",
    "EXPIRED_TOKEN",
    "MEMBERS",
    "MEMBER_TOKEN",
    "OPENID_ONLY_TOKEN",
    "ORG_ID",
    "PEER_SUB",
    "REVOKED_TOKEN",
    "FakeLinkedIn",
]
