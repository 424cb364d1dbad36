"""ColibriAdapter: posts on a ColibriSM site's timeline, a thread as a reply chain (``publish_post`` with
``thread_id``: the site's replies are posts attached to another post).

One segment is one publish call: its files go up first (``upload_post_media``, into the account's draft: see
draft.py), then ``publish_post`` takes the text and every file waiting in the draft. The main post carries what
only a main post has: ``privacy`` (who may reply: the site makes every reply open to everyone), a poll
(``poll_data``) and a GIF (``gif_src``, from platform_options). The site crops ``post_text`` past 600 characters
without a word, so validation refuses longer texts before anything is sent.

The site does not check a reply's ``thread_id``: before a reply, ``thread_data`` confirms the post it answers is
still there, so a reply never lands under nothing. ColibriSM has no idempotency key: a ``publish_post`` whose
answer is lost is OutcomeUnknown (the publisher leaves the segment unconfirmed rather than post it twice).

No DeletesPost here: the site's API reference (our seed) names a "Delete Post" page but documents no endpoint,
fields or answers for it (only ``delete_post_media`` for a draft's files), so a post is deleted on the site itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import (
    AdapterContext,
    AdapterError,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    PollRules,
    PublishedRef,
    PublishRequest,
    Rejected,
    ReplyPolicy,
    TextCounting,
    TextRules,
    ThreadMode,
)
from adapters.colibri.account import CREDENTIAL_SHAPES, NO_SITE, ColibriAccountAdapter
from adapters.colibri.draft import Draft
from adapters.colibri.envelope import NO_DATA, Envelope, MissingEndpoint
from adapters.colibri.options import ColibriOptions
from adapters.validation import check_media_files

_MIB = 1024 * 1024
MAX_POST_CHARS = 600
# Not documented by ColibriSM: a bound of our own, short enough for any poll the site draws.
MAX_POLL_OPTION_CHARS = 100
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
# The site's upload limit is an admin setting the API does not tell: conservative caps.
MAX_IMAGE_BYTES = 5 * _MIB
MAX_VIDEO_BYTES = 50 * _MIB
PRIVACY = {ReplyPolicy.EVERYONE: "everyone", ReplyPolicy.FOLLOWERS: "followers", ReplyPolicy.MENTIONED: "mentioned"}


class ColibriAdapter(ColibriAccountAdapter):
    info = PlatformInfo(
        platform=Platform.COLIBRI,
        display_name="ColibriSM",
        default_base_url=NO_SITE,
        text=TextRules(max_chars=MAX_POST_CHARS, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=10,
            max_image_bytes=MAX_IMAGE_BYTES,
            image_types=IMAGE_TYPES,
            max_videos=1,
            max_video_bytes=MAX_VIDEO_BYTES,
            video_types=frozenset({"video/mp4"}),
            images_with_video=False,  # "up to 10 images or one video"
        ),
        thread_mode=ThreadMode.NATIVE_REPLY,
        credential_shapes=CREDENTIAL_SHAPES,
        # Polls never close on ColibriSM: the duration is neither checked nor sent. No question of their own: the
        # post's text asks it. Only on a post without media (our reading of the site: a poll is a post type).
        polls=PollRules(
            max_options=4,
            max_option_chars=MAX_POLL_OPTION_CHARS,
            min_duration_minutes=1,
            max_duration_minutes=366 * 24 * 60,
            closes=False,
        ),
        reply_policies=frozenset(PRIVACY),
        options=ColibriOptions,
        # Uploads wait in the account's one draft until any publish of the account takes them.
        one_publish_at_a_time=True,
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self.draft = Draft(self.site)

    async def publish(self, request: PublishRequest) -> PublishedRef:
        segment = request.segment
        check_media_files(self.info.display_name, segment.media, self.info.media)
        await self.draft.clear()
        if request.parent is not None:
            await self._check_replyable(request.parent)
        uploads = await self.draft.upload(segment.media)
        action = "publish post" if request.parent is None else "publish reply"
        try:
            envelope = await self.site.post("publish_post", action=action, creates=True, fields=post_form(request))
        except OutcomeUnknown:
            raise  # taken by a post or still waiting: the files are left alone
        except AdapterError:
            await self.draft.discard(uploads)  # surely not published: the files must not wait for the next post
            raise
        return self._published(envelope)

    async def _check_replyable(self, parent: PublishedRef) -> None:
        """``thread_data`` of the post this segment answers: it exists, and the account may reply to it."""
        where = f"the post this segment answers ({parent.url})"
        try:
            envelope = await self.site.get("thread_data", action="reply check", params={"thread_id": parent.id})
        except MissingEndpoint:
            return  # a site without thread_data cannot be asked: reply as the site allows
        except Rejected as exc:
            raise Rejected(f"ColibriSM: {where} is not on the site any more ({exc.message})") from None
        data = envelope.data
        if envelope.code == NO_DATA or not isinstance(data, Mapping) or not isinstance(data.get("post"), Mapping):
            raise Rejected(f"ColibriSM: {where} is not on the site any more")
        if data.get("can_reply") is False:
            raise Rejected(f"ColibriSM does not let this account reply to {where}")

    def _published(self, envelope: Envelope) -> PublishedRef:
        data = envelope.data if isinstance(envelope.data, Mapping) else {}
        post_id = data.get("id")
        if post_id is None or not str(post_id).strip():
            raise OutcomeUnknown("ColibriSM accepted the post but its answer carried no post id")
        post_id = str(post_id).strip()
        return PublishedRef(id=post_id, url=non_empty_text(data.get("url")) or f"{self.base_url}/thread/{post_id}")


def post_form(request: PublishRequest) -> dict[str, str]:
    """``publish_post``'s fields for this segment (besides the session)."""
    form = {"post_text": request.segment.text}
    if request.parent is not None:
        form["thread_id"] = request.parent.id
        return form  # privacy, polls and GIFs are the main post's
    if request.reply_policy is not None:
        if request.reply_policy not in PRIVACY:  # validation refuses these first
            raise Rejected(f"ColibriSM cannot apply the reply policy {request.reply_policy.value!r}")
        form["privacy"] = PRIVACY[request.reply_policy]
    if request.poll is not None:
        form["poll_data"] = json.dumps([{"value": option} for option in request.poll.options])
    options = request.options
    if isinstance(options, ColibriOptions) and options.gif_url is not None:
        form["gif_src"] = options.gif_url
    return form
