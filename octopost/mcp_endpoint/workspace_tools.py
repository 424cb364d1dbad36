"""The tools about the workspace a post publishes into: its connected accounts and its queue's free slots."""

from __future__ import annotations

from typing import Annotated

import msgspec

from octopost.accounts import service as accounts
from octopost.accounts.controllers import AccountController
from octopost.accounts.schemas import AccountList
from octopost.accounts.views import to_read
from octopost.keys.service import Caller
from octopost.mcp_endpoint.toolkit import OctopostTool, route_opt
from octopost.queue import service as queue
from octopost.queue.controllers import QueueController
from octopost.queue.schemas import UpcomingSlots
from octopost.runtime import Runtime


class AccountFilter(msgspec.Struct, forbid_unknown_fields=True):
    platform: Annotated[str | None, msgspec.Meta(description="Only this platform's accounts (e.g. mastodon)")] = None


class SlotCount(msgspec.Struct, forbid_unknown_fields=True):
    count: Annotated[int, msgspec.Meta(description="How many free slots, 1 to 50")] = 5


async def _accounts(runtime: Runtime, caller: Caller, query: AccountFilter) -> AccountList:
    return AccountList(accounts=[to_read(a) for a in await accounts.list_accounts(runtime, caller, query.platform)])


async def _slots(runtime: Runtime, caller: Caller, query: SlotCount) -> UpcomingSlots:
    return await queue.upcoming_free(runtime, caller, query.count)


WORKSPACE_TOOLS = (
    OctopostTool(
        name="list_accounts",
        description=(
            "List the platform accounts connected to this workspace, active and inactive. A post publishes through "
            "each platform's default account (is_default) unless its accounts field names other ones; a platform "
            "with no active account cannot be published to."
        ),
        arguments=AccountFilter,
        answers=AccountList,
        route=route_opt(AccountController, AccountController.list_accounts),
        run=_accounts,
        read_only=True,
    ),
    OctopostTool(
        name="queue_slots",
        description=(
            "The workspace queue's next free slots: the times (UTC, with the slot's weekday and local time) at "
            "which create_post with scheduled_for \"next_free_slot\" would schedule posts, soonest first."
        ),
        arguments=SlotCount,
        answers=UpcomingSlots,
        route=route_opt(QueueController, QueueController.next_slots),
        run=_slots,
        read_only=True,
    ),
)
