"""Driving an adapter whose publish answers Pending (issue 11's processing step) as the engine will: publish, and
while the answer is Pending, publish again with its handle (no waiting: the fakes move on status reads)."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.base import Adapter, Pending, PublishedRef, PublishRequest


def continued(segment: PublishRequest, answer: object) -> PublishRequest:
    """``segment`` again, carrying the handle of the Pending ``answer``."""
    assert isinstance(answer, Pending), answer
    return PublishRequest(**{**vars(segment), "pending": answer.handle})


@dataclass
class Driven:
    ref: PublishedRef
    handles: list[str] = field(default_factory=list)  # every Pending's handle, in order
    waits: list[float] = field(default_factory=list)  # every Pending's check_after


async def drive(adapter: Adapter, segment: PublishRequest, *, steps: int = 20) -> Driven:
    """Publish ``segment`` to the end as the engine would (no waiting: the fake moves on status reads)."""
    handles: list[str] = []
    waits: list[float] = []
    current = segment
    for _ in range(steps):
        answer = await adapter.publish(current)
        if not isinstance(answer, Pending):
            return Driven(answer, handles, waits)
        handles.append(answer.handle)
        waits.append(answer.check_after)
        current = continued(current, answer)
    raise AssertionError(f"still pending after {steps} calls")


