"""Per platform, whether its adapter deletes what it posted (DeletesPost) — and then the platform's own answer
saying the item is already gone — or why it cannot. Every registered adapter is in exactly one of the two tables
(test_deletes.py checks it), so a new adapter must decide."""

from __future__ import annotations

from adapters.base import Platform, PublishedRef
from tests.adapters.contract.cases_processing import google_error, graph_error, linkedin_error
from tests.fakes.http import Response

# Graph's answer for an object that does not exist (or this token cannot see): code 100, subcode 33.
_GRAPH_GONE = graph_error(
    400,
    100,
    "Unsupported delete request. Object with ID '1234567890' does not exist, cannot be loaded due to missing "
    "permissions, or does not support this operation.",
    subcode=33,
    kind="GraphMethodException",
)

# The answer each platform gives to a delete of something that is not (or no longer) there.
ALREADY_GONE: dict[Platform, Response] = {
    Platform.AMITY: Response(404, {"status": "error", "code": 400400, "message": "Resource Not Found."}),
    Platform.BLUESKY: Response(200, {}),  # com.atproto.repo.deleteRecord of a missing record is a no-op
    Platform.COLIBRI_DM: Response(
        200, {"code": 400, "message": "A message with this ID was not found. Please check your details!", "data": []}
    ),
    Platform.DISCORD: Response(404, {"code": 10008, "message": "Unknown Message"}),
    Platform.FACEBOOK: _GRAPH_GONE,
    # A post it never had (one it deleted is answered 204 again).
    Platform.LINKEDIN: linkedin_error(404, "Post urn:li:share:1234567890 not found"),
    Platform.MASTODON: Response(404, {"error": "Record not found"}),
    Platform.SLACK: Response(200, {"ok": False, "error": "message_not_found"}),
    Platform.TELEGRAM: Response(
        400, {"ok": False, "error_code": 400, "description": "Bad Request: message to delete not found"}
    ),
    Platform.THREADS: _GRAPH_GONE,
    Platform.TWITTER: Response(
        404,
        {
            "title": "Not Found Error",
            "detail": "Could not find tweet with id: [1234567890].",
            "type": "https://api.x.com/2/problems/resource-not-found",
        },
    ),
    Platform.YOUTUBE: google_error(
        404, "The video that you are trying to delete cannot be found.", reason="videoNotFound", domain="youtube.video"
    ),
    Platform.ZIIK: Response(
        404, {"error": {"code": "not_found", "message": "The content could not be found", "is_ziik_error": True}}
    ),
}

# Why an adapter is not DeletesPost.
CANNOT_DELETE: dict[Platform, str] = {
    Platform.COLIBRI: "ColibriSM's API reference (our seed) documents no endpoint to delete a post",
    Platform.INSTAGRAM: "Instagram's Graph API publishes media but has no call to delete it",
    Platform.TIKTOK: "TikTok's Content Posting API posts but has no call to delete a post",
}


def posted_ref(platform: Platform, base_url: str) -> PublishedRef:
    """A segment as the platform's publish returns it (numeric ids fit every platform's id rules)."""
    if platform == Platform.BLUESKY:
        uri = "at://did:plc:contractcontractcontract/app.bsky.feed.post/3l2contract22"
        return PublishedRef(id=uri, url="https://bsky.app/profile/contract.test/post/3l2contract22", uri=uri, cid="x")
    return PublishedRef(id="1234567890", url=f"{base_url}/posted/1234567890")
