"""Files through Ziik's upload flow against the fake: the item announces its files (fileCount) and is published once
the last one is in; each file is started, put to the storage with exactly the headers Ziik gave (never the Bearer
token) and finalised. A failure after the item was created deletes the item, so the retry starts clean; when even
that fails the target fails naming the item. Files Ziik would not take are refused before anything is sent."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from adapters.base import MediaItem, MediaRejected, Rejected, Transient
from tests.adapters.ziik.support import MakeAdapter, Sent, contents, only_content, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.media import png

IMAGES = (png("first", rgb=(1, 2, 3)), png("second", rgb=(4, 5, 6)), png(None, rgb=(7, 8, 9)))


async def test_three_images_are_uploaded_and_the_item_is_published_with_them(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent
) -> None:
    adapter = make_adapter()
    await adapter.verify()
    sent.clear()

    ref = await adapter.publish(request("With pictures", media=IMAGES))

    item = only_content(fake)
    assert item["request"]["fileCount"] == 3
    assert item["published"] is True
    assert item["uploading_files"] == 0
    assert [(f["name"], f["mime"], f["sha256"]) for f in item["files"]] == [
        (f"image-{n}.png", "image/png", hashlib.sha256(image.data).hexdigest()) for n, image in enumerate(IMAGES, 1)
    ]
    file_ids = [str(f["id"]) for f in item["files"]]
    puts = [r for r in sent.requests if r.method == "PUT"]
    assert sent.steps() == [
        ("POST", "/api/content"),
        *(
            step
            for put, file_id in zip(puts, file_ids, strict=True)
            for step in (("POST", "/api/upload"), ("PUT", put.url.path), ("POST", f"/api/file/{file_id}/finalise"))
        ),
    ]
    assert all(r.url.path.startswith("/storage/") for r in puts)
    assert all("authorization" not in r.headers for r in puts)  # the presigned URL is the storage's credential
    assert [(r.headers["x-amz-acl"], r.headers["content-type"]) for r in puts] == [("private", "image/png")] * 3
    assert ref.id == item["id"]


async def test_a_failed_upload_deletes_the_item_and_the_retry_starts_clean(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    fake.control("POST", "fail_next", {"method": "PUT", "path": "/storage/", "status": 503})

    with pytest.raises(
        Transient, match=r"Ziik's file storage upload: Ziik's file storage answered 503 \(InternalError"
    ):
        await adapter.publish(request("Retry me", media=IMAGES[:2]))

    (withdrawn,) = contents(fake)
    assert (withdrawn["deleted"], withdrawn["published"]) == (True, False)
    retried = await adapter.publish(request("Retry me", media=IMAGES[:2]))
    first, second = contents(fake)
    assert (second["id"], second["published"], len(second["files"])) == (retried.id, True, 2)
    assert [item["deleted"] for item in (first, second)] == [True, False]  # one item in Ziik, published once


async def test_an_upload_ziik_refuses_deletes_the_item_and_is_rejected(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("POST", "fail_next", {"method": "POST", "path": "/api/upload", "status": 422})

    with pytest.raises(Rejected, match=r"Ziik upload start was rejected \(422\)"):
        await make_adapter().publish(request("Refused file", media=IMAGES[:1]))

    assert only_content(fake)["deleted"] is True


async def test_a_lost_upload_answer_is_retryable_once_the_item_is_deleted(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    await adapter.verify()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["reset_after"], fault_paths=["/api/upload"]))

    with pytest.raises(Transient, match="the unfinished content item was deleted, so it can be retried"):
        await adapter.publish(request("In doubt", media=IMAGES[:1]))

    assert only_content(fake)["deleted"] is True


async def test_when_the_clean_up_fails_too_the_target_fails_naming_the_item(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    fake.control("POST", "fail_next", {"method": "PUT", "path": "/storage/", "status": 500})
    fake.control("POST", "fail_next", {"method": "DELETE", "path": "/api/content/", "status": 500})

    with pytest.raises(Rejected) as failed:
        await make_adapter().publish(request("Stuck", media=IMAGES[:2]))

    item = only_content(fake)
    assert f"uploading the files of content {item['id']} failed" in failed.value.message
    assert "It stays unpublished in Ziik, waiting for its files: delete it there" in failed.value.message
    assert (item["deleted"], item["published"], item["uploading_files"]) == (False, False, 2)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (MediaItem(data=b"BM...", content_type="image/bmp", kind="image"), "image 1 is image/bmp"),
        (MediaItem(data=bytes(21 * 1024 * 1024), content_type="image/png", kind="image"), "the limit is 20,971,520"),
    ],
)
async def test_a_file_ziik_would_not_take_is_refused_before_anything_is_sent(
    make_adapter: MakeAdapter, fake: RunningFake, sent: Sent, item: MediaItem, message: str
) -> None:
    with pytest.raises(MediaRejected, match=message):
        await make_adapter().publish(request("Bad file", media=(item,)))

    assert sent.requests == []


async def test_the_fake_storage_refuses_a_bearer_token_beside_the_presigned_url(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    """The fake holds us to S3's rule: a presigned request carries no other credential."""
    adapter = make_adapter()
    await adapter.verify()
    stored = adapter.updated_credentials()
    assert stored is not None
    bearer = {"Authorization": f"Bearer {stored['token']}"}
    async with httpx.AsyncClient(base_url=f"{fake.url}/api", headers=bearer) as client:
        created = await client.post("/content", json={"title": "t", "fileCount": 1, "publish": {"status": True}})
        ticket = (
            await client.post(
                "/upload",
                json={"id": created.json()["id"], "type": "contents", "content_type": "image/png", "filename": "a.png"},
            )
        ).json()
        refused = await client.put(
            ticket["url"], content=b"png", headers={"Content-Type": "image/png", "x-amz-acl": "private"}
        )
    assert refused.status_code == 400
    assert "<Code>InvalidArgument</Code>" in refused.text
