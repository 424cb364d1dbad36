"""Adapters a test made, closed at its end: what every platform's ``make_adapter`` fixture shares (how an
adapter is constructed stays with each platform's conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import ParamSpec, TypeVar

from adapters.base import Adapter

P = ParamSpec("P")
A = TypeVar("A", bound=Adapter)


@asynccontextmanager
async def closing(build: Callable[P, A]) -> AsyncIterator[Callable[P, A]]:
    """``build``, keeping every adapter it makes; each is closed (``aclose``) when the block ends."""
    made: list[A] = []

    def make(*args: P.args, **kwargs: P.kwargs) -> A:
        adapter = build(*args, **kwargs)
        made.append(adapter)
        return adapter

    try:
        yield make
    finally:
        for adapter in made:
            await adapter.aclose()
