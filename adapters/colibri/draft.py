"""A ColibriSM account's draft: files are uploaded first (``upload_post_media``) and wait, attached to the user's
one draft, until the next ``publish_post`` of the account takes them all, whichever post that is. Two posts
uploading on one account at once would merge, hence one publish at a time per account (PlatformInfo), and
files a publish will not take are deleted (``delete_post_media``) so they cannot ride on the account's next post.

What cannot be cleaned: a file whose upload answer was lost (its id is unknown), and the files of a publish whose
answer was lost (taken by a post, or still waiting: deleting them could strip a published post).
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.base import AdapterError, MediaItem, OutcomeUnknown, Rejected
from adapters.colibri.site import ColibriSite


@dataclass(frozen=True)
class Upload:
    """A file waiting in the draft: the site's media id and its type (``image``/``video``)."""

    media_id: str
    kind: str


class Draft:
    def __init__(self, site: ColibriSite) -> None:
        self.site = site
        self._leftovers: list[Upload] = []  # not taken by a publish, not deleted yet (the session had expired, say)

    async def upload(self, media: tuple[MediaItem, ...]) -> list[Upload]:
        """Each file, in order. On a failure, the files uploaded so far are deleted again."""
        done: list[Upload] = []
        for number, item in enumerate(media, start=1):
            try:
                done.append(await self._upload(number, item))
            except OutcomeUnknown as exc:
                await self.discard(done)
                raise OutcomeUnknown(
                    f"{exc.message}. The file may be waiting in the account's draft on the site, where it would go "
                    "with the account's next post; nothing was published"
                ) from None
            except AdapterError:
                await self.discard(done)
                raise
        return done

    async def discard(self, uploads: list[Upload]) -> None:
        """Delete files no publish will take; what cannot be deleted now is deleted before this adapter's next
        publish (``clear``)."""
        for upload in uploads:
            try:
                await self._delete(upload)
            except AdapterError:
                self._leftovers.append(upload)

    async def clear(self) -> None:
        """Delete the leftovers of an earlier failed try, or raise: a publish now would take them along."""
        while self._leftovers:
            await self._delete(self._leftovers[0])
            self._leftovers.pop(0)

    async def _upload(self, number: int, item: MediaItem) -> Upload:
        filename = item.filename(number)
        envelope = await self.site.post(
            "upload_post_media",
            action=f"upload of {item.kind} {number}",
            creates=True,  # a lost answer may have left the file in the draft
            fields={"type": item.kind},
            files={"file": (filename, item.data, item.content_type)},
        )
        data = envelope.data if isinstance(envelope.data, dict) else {}
        media_id = data.get("media_id")
        if media_id is None or not str(media_id).strip():
            raise OutcomeUnknown(f"ColibriSM took {item.kind} {number} but its answer carried no media_id")
        return Upload(str(media_id).strip(), item.kind)

    async def _delete(self, upload: Upload) -> None:
        try:
            await self.site.post(
                "delete_post_media",
                action="deletion of an unused upload",
                fields={"type": upload.kind, "media_id": upload.media_id},
            )
        except Rejected:
            return  # the site has no such file in the draft any more: nothing left to ride along
