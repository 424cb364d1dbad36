"""Adapters written for issue 11 that are not in adapters/registry.py ADAPTERS yet (the integrator registers them
when the processing-step engine lands): the contract tests that need no registration run over these too."""

from __future__ import annotations

from adapters.base import Adapter
from adapters.facebook import FacebookAdapter
from adapters.linkedin import LinkedInAdapter

PENDING_REGISTRATION: tuple[type[Adapter], ...] = (LinkedInAdapter, FacebookAdapter)
