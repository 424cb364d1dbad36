"""Fixtures of the contract tests: a plain httpx client, and a platform that answers every request the same way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.adapters.contract.answering import Answering, answering


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def platform() -> AsyncIterator[Answering]:
    async with answering() as running:
        yield running
