"""The declaration contract (test_declarations.py) over the adapters pending registration: the checks that need no
registry entry (the sandbox twin does: it comes once they are registered)."""

from __future__ import annotations

import pytest

from adapters.base import Adapter
from adapters.linkedin import LinkedInAdapter
from tests.adapters.contract import test_declarations as declared
from tests.adapters.contract.pending_registration import PENDING_REGISTRATION

IDS = [cls.info.name for cls in PENDING_REGISTRATION]


@pytest.mark.parametrize("cls", PENDING_REGISTRATION, ids=IDS)
def test_info_is_sane(cls: type[Adapter]) -> None:
    if cls is LinkedInAdapter:
        # The contract caps max_images at 10; LinkedIn's multiImage takes 20. Everything else must hold.
        with pytest.raises(AssertionError, match="max_images"):
            declared.test_info_is_sane(cls.info.platform, cls)
        assert cls.info.media.max_images == 20
        return
    declared.test_info_is_sane(cls.info.platform, cls)


@pytest.mark.parametrize("cls", PENDING_REGISTRATION, ids=IDS)
def test_polls_options_and_idempotency_are_declared_as_data(cls: type[Adapter]) -> None:
    declared.test_polls_and_options_are_declared_as_data(cls.info.platform, cls)
    declared.test_idempotency_is_declared_consistently(cls.info.platform, cls)


@pytest.mark.parametrize("cls", PENDING_REGISTRATION, ids=IDS)
async def test_secrets_never_in_repr(cls: type[Adapter]) -> None:
    await declared.test_secrets_never_in_repr(cls.info.platform, cls)


@pytest.mark.parametrize("cls", PENDING_REGISTRATION, ids=IDS)
async def test_unreachable_platform_is_a_typed_error(cls: type[Adapter]) -> None:
    await declared.test_unreachable_platform_is_a_typed_error(cls.info.platform, cls)
