"""The engine's part of the processing step, played by a test: publish, then publish again with each Pending's
handle until the platform answers the PublishedRef (no waiting: the engine's clock is not what is under test)."""

from __future__ import annotations

import dataclasses

from adapters.base import Adapter, Pending, PublishedRef, PublishRequest


async def drive(adapter: Adapter, first: PublishRequest, *, steps: int = 20) -> tuple[PublishedRef, list[Pending]]:
    """The PublishedRef and every Pending on the way (at most ``steps``: a platform that never finishes fails)."""
    pendings: list[Pending] = []
    answer = await adapter.publish(first)
    while isinstance(answer, Pending):
        pendings.append(answer)
        assert len(pendings) <= steps, f"still pending after {steps} calls"
        answer = await adapter.publish(dataclasses.replace(first, pending=answer.handle))
    return answer, pendings
