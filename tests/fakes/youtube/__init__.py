"""YouTube's Data API v3 and its resumable upload as far as the adapter (adapters/youtube/) needs it, strict to
Google's discovery document (discovery.py; the fake cannot check without it, and the tests skip).

Tokens: any ``ya29.`` token is a user (the token names the channel); ``EXPIRED_TOKEN`` answers 401 authError,
``UPLOAD_ONLY_TOKEN`` lacks youtube.force-ssl (comments: 403 insufficientPermissions), ``NO_CHANNEL_TOKEN`` has no
channel. Once told to trust the OAuth peer, a live peer token is channel ``PEER_CHANNEL`` with the token's scopes,
and every call needs one of the scopes the discovery document lists for its method (videos.insert: youtube.upload
or broader; comments: youtube.force-ssl). Control: ``PUT /_fake/quota {"reason"}`` (every call 403 with that
reason, youtube.quota), ``PUT /_fake/interrupt {"chunk": k, "fault": "reset"|"reset_after"|"503"|"partial"|
"partial_reset"}`` (the k-th chunk from now; partial_reset: the server keeps its first 256 KiB, then the
connection drops before the answer),
``POST /_fake/expire_sessions`` (unfinished sessions answer 404), ``GET /_fake/videos|comments|sessions``.
``created()`` rows: one per video (text: its title) and per comment (reply_to: the video, or the parent comment).
"""

from tests.fakes.youtube.channel import EXPIRED_TOKEN, NO_CHANNEL_TOKEN, PEER_CHANNEL, UPLOAD_ONLY_TOKEN
from tests.fakes.youtube.discovery import present as discovery_present
from tests.fakes.youtube.routes import FakeYouTube

__all__ = [
    "EXPIRED_TOKEN",
    "NO_CHANNEL_TOKEN",
    "PEER_CHANNEL",
    "UPLOAD_ONLY_TOKEN",
    "FakeYouTube",
    "discovery_present",
]
