"""ColibriMessagesAdapter: direct messages on a ColibriSM site (``send_message``), to one recipient per post.

Each segment is one message, sent in order into the conversation with the recipient: text (``type=text``), or
text with one image (``type=media``, the file as ``image``). The recipient is the post's
``platform_options.colibri_dm.recipient_id``, else the account's default ``recipient_id`` (given when it was
connected). A recipient who blocked the account or does not take messages from it answers with the site's words,
shown as the target's error (Rejected).

ColibriSM has no idempotency key: a ``send_message`` whose answer is lost is OutcomeUnknown (the publisher leaves
the segment unconfirmed rather than send it twice). A message is deleted with ``delete_message`` (DeletesPost).
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import (
    AdapterContext,
    MediaRules,
    OutcomeUnknown,
    Platform,
    PlatformInfo,
    Profile,
    PublishedRef,
    PublishRequest,
    Rejected,
    TextCounting,
    TextRules,
    ThreadMode,
)
from adapters.colibri.account import CREDENTIAL_SHAPES, NO_SITE, ColibriAccountAdapter
from adapters.colibri.options import ColibriMessageOptions, recipient_text
from adapters.colibri.posts import IMAGE_TYPES, MAX_IMAGE_BYTES
from adapters.validation import check_media_files

MAX_MESSAGE_CHARS = 3000
_MESSAGE_GONE = "a message with this id was not found"  # delete_message's answer for an unknown id
RECIPIENT_NAME = "recipient_username"  # the default recipient's, stored with the account once looked up


class ColibriMessagesAdapter(ColibriAccountAdapter):
    info = PlatformInfo(
        platform=Platform.COLIBRI_DM,
        display_name="ColibriSM messages",
        default_base_url=NO_SITE,
        text=TextRules(max_chars=MAX_MESSAGE_CHARS, counting=TextCounting.CODEPOINTS),
        media=MediaRules(
            max_images=1,  # one image per message
            max_image_bytes=MAX_IMAGE_BYTES,
            image_types=IMAGE_TYPES,
            max_videos=0,
            max_video_bytes=1,
            video_types=frozenset(),
        ),
        thread_mode=ThreadMode.MESSAGE_THREAD,  # the conversation with the recipient is the thread
        credential_shapes=CREDENTIAL_SHAPES,  # either one, plus optionally a default "recipient_id"
        options=ColibriMessageOptions,
    )

    def __init__(self, context: AdapterContext) -> None:
        super().__init__(context)
        self._usernames: dict[str, str] = {}  # recipient id → username (their conversation's URL names them)
        default, known = recipient_text(self.credentials.get("recipient_id")), self.credentials.get(RECIPIENT_NAME)
        if default is not None and known:  # learned when the account was connected: no lookup per post
            self._usernames[default] = known

    async def verify(self) -> Profile:
        profile = await super().verify()
        default = self.credentials.get("recipient_id")
        if default:
            recipient = recipient_text(default)
            if recipient is None:
                raise Rejected(f"ColibriSM: recipient_id must be a user id (a positive number), got {default!r}")
            await self._username(recipient)  # the default recipient exists (and is named for the URLs)
        return profile

    def updated_credentials(self) -> Mapping[str, str] | None:
        """PersistsSession: the session's news, and the default recipient's username once it is known."""
        updated = dict(super().updated_credentials() or self.credentials)
        default = recipient_text(self.credentials.get("recipient_id"))
        if default is not None and default in self._usernames:
            updated[RECIPIENT_NAME] = self._usernames[default]
        return updated if updated != dict(self.credentials) else None

    async def publish(self, request: PublishRequest) -> PublishedRef:
        segment = request.segment
        check_media_files(self.info.display_name, segment.media, self.info.media)
        if len(segment.media) > 1:  # validation refuses this first
            raise Rejected(f"ColibriSM sends one image per message; this segment has {len(segment.media)}")
        recipient = self._recipient(request)
        username = await self._username(recipient)
        form = {"user_id": recipient, "type": "media" if segment.media else "text", "message": segment.text}
        files = None
        if segment.media:
            image = segment.media[0]
            files = {"image": (f"image{_extension(image.content_type)}", image.data, image.content_type)}
        envelope = await self.site.post("send_message", action="send message", creates=True, fields=form, files=files)
        data = envelope.data if isinstance(envelope.data, Mapping) else {}
        message_id = data.get("id")
        if message_id is None or not str(message_id).strip():
            raise OutcomeUnknown("ColibriSM sent the message but its answer carried no message id")
        message_id = str(message_id).strip()
        return PublishedRef(id=message_id, url=f"{self.conversation_url(username)}#message-{message_id}")

    async def delete(self, ref: PublishedRef) -> None:
        """DeletesPost: ``delete_message`` with the message's id. "A message with this ID was not found" is already
        deleted; the site documents no other refusal (a message that is not the account's is not found to it)."""
        if not ref.id.isdigit():
            raise Rejected(f"ColibriSM: {ref.id!r} is not a message id")
        try:
            await self.site.post("delete_message", action="delete message", fields={"message_id": ref.id})
        except Rejected as exc:
            if _MESSAGE_GONE not in exc.message.lower():
                raise

    def _recipient(self, request: PublishRequest) -> str:
        options = request.options
        chosen = options.recipient_id if isinstance(options, ColibriMessageOptions) else None
        source = "platform_options.colibri_dm.recipient_id"
        if chosen is None:
            chosen, source = self.credentials.get("recipient_id"), "the account's default recipient_id"
        if chosen is None or chosen == "":
            raise Rejected(
                "ColibriSM messages need a recipient: set platform_options.colibri_dm.recipient_id, or connect the "
                "account with a default recipient_id"
            )
        recipient = recipient_text(chosen)
        if recipient is None:
            raise Rejected(f"ColibriSM: {source} must be a user id (a positive number), got {chosen!r}")
        return recipient

    async def _username(self, recipient: str) -> str:
        if recipient not in self._usernames:
            user = await self.user(recipient)
            name = non_empty_text(user.get("user_name")) or non_empty_text(user.get("username")) or recipient
            self._usernames[recipient] = name.lstrip("@")
        return self._usernames[recipient]


def _extension(content_type: str) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}.get(content_type, "")
