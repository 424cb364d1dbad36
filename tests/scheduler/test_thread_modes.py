"""The thread-mode table, one test per mode: what each segment's PublishRequest is attached to (root, parent), what
its text is (numbered, folded), and that the main post alone carries the poll. In-process, through the real
publisher and ledger (tests/scheduler/in_process.py)."""

from __future__ import annotations

from pathlib import Path

from adapters.base import PublishedRef, ThreadMode
from adapters.segments import FOLD_SEPARATOR
from tests.scheduler.in_process import Script, migrated_sqlite, scripted, stage
from tests.scheduler.in_process import mode as info_for

THREAD = ["main post", "first reply", "second reply"]


def ref(number: int) -> PublishedRef:
    return PublishedRef(id=f"remote-{number}", url=f"https://platform.example/{number}")


async def _publish_thread(tmp_path: Path, thread_mode: ThreadMode, **info: object) -> tuple[Script, str, list]:
    script = Script()
    async with stage(migrated_sqlite(tmp_path), tmp_path) as s:
        post = await s.post(
            THREAD[0], segments=THREAD[1:], poll={"options": ["yes", "no"], "duration_minutes": 60, "question": None}
        )
        target = await s.publish(post, scripted(info_for(thread_mode, **info), script))  # type: ignore[arg-type]
        return script, target.status, await s.ledger(target)


async def test_native_reply_answers_the_previous_segment(tmp_path: Path) -> None:
    script, status, ledger = await _publish_thread(tmp_path, ThreadMode.NATIVE_REPLY)
    assert status == "succeeded"
    assert [(r.segment.text, r.root, r.parent) for r in script.requests] == [
        ("main post", None, None),
        ("first reply", ref(1), ref(1)),
        ("second reply", ref(1), ref(2)),
    ]
    assert [r.poll is not None for r in script.requests] == [True, False, False]  # the poll rides on the main post
    assert [r.segment_count for r in script.requests] == [3, 3, 3]
    assert [(index, state) for index, state, *_ in ledger] == [(0, "sent"), (1, "sent"), (2, "sent")]


async def test_comment_on_main_attaches_every_segment_to_the_main_post(tmp_path: Path) -> None:
    script, status, _ = await _publish_thread(tmp_path, ThreadMode.COMMENT_ON_MAIN)
    assert status == "succeeded"
    assert [(r.root, r.parent) for r in script.requests] == [(None, None), (ref(1), ref(1)), (ref(1), ref(1))]


async def test_message_thread_keeps_the_main_post_as_root_and_the_tail_as_parent(tmp_path: Path) -> None:
    script, status, _ = await _publish_thread(tmp_path, ThreadMode.MESSAGE_THREAD)
    assert status == "succeeded"
    assert [(r.root, r.parent) for r in script.requests] == [(None, None), (ref(1), ref(1)), (ref(1), ref(2))]


async def test_sequential_numbered_posts_top_level_posts_with_their_counter(tmp_path: Path) -> None:
    script, status, _ = await _publish_thread(tmp_path, ThreadMode.SEQUENTIAL_NUMBERED)
    assert status == "succeeded"
    assert [(r.segment.text, r.root, r.parent) for r in script.requests] == [
        ("main post (1/3)", None, None),
        ("first reply (2/3)", None, None),
        ("second reply (3/3)", None, None),
    ]


async def test_single_folds_the_thread_into_one_item(tmp_path: Path) -> None:
    script, status, ledger = await _publish_thread(tmp_path, ThreadMode.SINGLE, folds_thread=True)
    assert status == "succeeded"
    [request] = script.requests
    assert request.segment.text == FOLD_SEPARATOR.join(THREAD)
    assert (request.segment.index, request.segment_count, request.root, request.parent) == (0, 1, None, None)
    assert request.poll is not None
    assert [(index, state) for index, state, *_ in ledger] == [(0, "sent")]


async def test_single_that_cannot_fold_refuses_the_thread_and_sends_nothing(tmp_path: Path) -> None:
    """Validation refuses it at schedule time; a post that got past (queued before the rule) fails, never a
    silently dropped segment."""
    script, status, ledger = await _publish_thread(tmp_path, ThreadMode.SINGLE)
    assert status == "failed"
    assert script.requests == []
    assert ledger == []
