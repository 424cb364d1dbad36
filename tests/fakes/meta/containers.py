"""Media containers as Meta's publishing APIs keep them: made IN_PROGRESS, FINISHED after a number of status polls
(``PUT /_fake/processing {"polls": n}``; ``POST /_fake/finish``: at the next read), EXPIRED on demand
(``POST /_fake/expire {"container": id}``, no id: every one not yet published), ERROR when their media failed,
PUBLISHED once (and only once) published."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED = "IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"


@dataclass
class Container:
    id: str
    owner: str
    media_type: str
    fields: dict[str, str]
    polls_left: int
    is_carousel_item: bool = False
    children: list[str] = field(default_factory=list)
    status: str = IN_PROGRESS
    error_message: str = ""
    fails_with: str = ""  # set at creation when its media could not be used: ERROR once processed
    published_id: str | None = None
    status_polls: int = 0

    def poll(self) -> str:
        """The status a ``GET /{container}`` reads: each read of an IN_PROGRESS container moves it on."""
        self.status_polls += 1
        if self.status == IN_PROGRESS:
            self.polls_left -= 1
            if self.polls_left <= 0:
                self.status, self.error_message = (ERROR, self.fails_with) if self.fails_with else (FINISHED, "")
        return self.status

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Containers:
    def __init__(self) -> None:
        self.by_id: dict[str, Container] = {}
        self.polls = 2  # status reads before a container is FINISHED

    def add(self, container: Container) -> Container:
        self.by_id[container.id] = container
        return container

    def finish(self) -> list[str]:
        """Every container still processing is FINISHED at its next status read (the platform caught up)."""
        chosen = [c for c in self.by_id.values() if c.status == IN_PROGRESS]
        for container in chosen:
            container.polls_left = 0
        return [c.id for c in chosen]

    def expire(self, container_id: str | None) -> list[str]:
        chosen = [self.by_id[container_id]] if container_id in self.by_id else []
        if container_id is None:
            chosen = [c for c in self.by_id.values() if c.status != PUBLISHED]
        for container in chosen:
            container.status = EXPIRED
        return [c.id for c in chosen]
