"""The engine's part of the processing step, played by a test: publish, then publish again with each Pending's
handle until the platform answers the PublishedRef (no waiting: the fakes move on status reads, and the engine's
clock is not what is under test)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from adapters.base import Adapter, Pending, PublishedRef, PublishRequest


def continued(segment: PublishRequest, answer: object) -> PublishRequest:
    """``segment`` again, carrying the handle of the Pending ``answer``."""
    assert isinstance(answer, Pending), answer
    return dataclasses.replace(segment, pending=answer.handle)


@dataclass
class Driven:
    ref: PublishedRef
    pendings: list[Pending] = field(default_factory=list)  # every Pending on the way, in order

    @property
    def handles(self) -> list[str]:
        return [p.handle for p in self.pendings]

    @property
    def waits(self) -> list[float]:
        return [p.check_after for p in self.pendings]

    def __iter__(self) -> Iterator[object]:  # ``ref, pendings = await drive(...)``
        return iter((self.ref, self.pendings))


async def drive(adapter: Adapter, first: PublishRequest, *, steps: int = 20) -> Driven:
    """The PublishedRef and every Pending on the way (at most ``steps``: a platform that never finishes fails)."""
    pendings: list[Pending] = []
    answer = await adapter.publish(first)
    while isinstance(answer, Pending):
        pendings.append(answer)
        assert len(pendings) <= steps, f"still pending after {steps} calls"
        answer = await adapter.publish(continued(first, answer))
    return Driven(answer, pendings)
