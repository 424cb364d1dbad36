"""Every failure Ziik documents, answered by the fake in Ziik's envelope, into the taxonomy: 400/403/404/405/406/410/
422 Rejected (a 422 with its field errors, a 403 explaining the permission), 401 AuthExpired, 429 RateLimited after
Retry-After, 500/502/503 Transient, and an answer lost after the create went out OutcomeUnknown (never resent)."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import AdapterError, AuthExpired, OutcomeUnknown, Poll, RateLimited, Rejected, Transient
from adapters.http import Answer
from adapters.ziik import ZiikAdapter
from adapters.ziik.api import ZiikApi, error_message
from adapters.ziik.options import ZiikOptions
from tests.adapters.ziik.support import MakeAdapter, request
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake
from tests.fakes.ziik import FOREIGN_GROUP_ID


@pytest.mark.parametrize(
    ("status", "expected", "message"),
    [
        (400, Rejected, r"Ziik post was rejected \(400\): Bad Request \[bad_request\]"),
        (401, AuthExpired, r"Ziik: the session expired during post \(401: Unauthorized \[unauthorized\]\)"),
        (403, Rejected, r"Ziik post was refused \(403: Forbidden \[forbidden\]\): the account lacks the permission"),
        (404, Rejected, r"\(404\): The specified content could not be found \[not_found\]"),
        (405, Rejected, r"\(405\): Method Not Allowed"),
        (406, Rejected, r"\(406\): Not Acceptable"),
        (410, Rejected, r"\(410\): Gone"),
        (422, Rejected, r"\(422\): Unprocessable Entity \[validation_failed\]"),
        (429, RateLimited, r"Ziik post: Ziik's rate limit was reached \(Slow down! \[too_many_requests\]\)"),
        (500, Transient, r"Ziik post: Ziik answered 500 \(Internal Server Error \[server_error\]\)"),
        (502, Transient, r"Ziik answered 502"),
        (503, Transient, r"Ziik answered 503 \(Service Unavailable"),
    ],
)
async def test_each_documented_status_is_classified(
    make_adapter: MakeAdapter, fake: RunningFake, status: int, expected: type[AdapterError], message: str
) -> None:
    adapter = make_adapter()
    await adapter.verify()
    fake.control("POST", "fail_next", {"method": "POST", "path": "/api/content", "status": status})

    with pytest.raises(expected, match=message) as raised:
        await adapter.publish(request())

    assert type(raised.value) is expected
    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after == 1
    assert fake.created() == []


async def test_a_422_names_the_field(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    # Validation refuses duplicate options before publishing; sent anyway, Ziik (the fake) says which field.
    with pytest.raises(Rejected) as refused:
        await make_adapter().publish(request("Vote", poll=Poll(("Yes", "yes"), 60)))

    assert refused.value.message == (
        "Ziik post was rejected (422): The choices must be different. [validation_failed] "
        "(poll.choices: The choices must be different.)"
    )


async def test_a_group_the_user_is_not_in_is_a_permission_refusal(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    options = ZiikOptions(group=FOREIGN_GROUP_ID)

    with pytest.raises(Rejected, match=r"403: You are not a member of this group\. \[forbidden\]\): the account"):
        await make_adapter().publish(request("Not my group", options=options))


async def test_unknown_group_is_not_found(make_adapter: MakeAdapter, fake: RunningFake) -> None:
    with pytest.raises(Rejected, match=r"\(404\): The group could not be found"):
        await make_adapter().publish(request("Nowhere", options=ZiikOptions(group=999_999)))


async def test_the_shared_rate_limit_fault_carries_ziiks_retry_after(
    make_adapter: MakeAdapter, fake: RunningFake
) -> None:
    adapter = make_adapter()
    await adapter.verify()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=["429"], retry_after_seconds=7))

    with pytest.raises(RateLimited) as limited:
        await adapter.publish(request())

    assert limited.value.retry_after == 7
    assert "Slow down!" in limited.value.message


@pytest.mark.parametrize("fault", ["reset_after", "reset"])
async def test_a_lost_answer_to_the_create_is_in_doubt(
    make_adapter: MakeAdapter, fake: RunningFake, fault: str
) -> None:
    """``reset_after``: Ziik created the item and the answer was lost; ``reset``: it never got there. The adapter
    cannot tell them apart and Ziik has no key to ask with: OutcomeUnknown, and the publisher never resends."""
    adapter = make_adapter()
    await adapter.verify()
    fake.set_conditions(Conditions(fault_rate=1.0, faults=[fault], fault_paths=["/api/content"]))

    with pytest.raises(OutcomeUnknown, match="Ziik post: no answer after the request was sent"):
        await adapter.publish(request("Did it land?"))

    assert len(fake.created()) == (1 if fault == "reset_after" else 0)


async def test_an_unreachable_tenant_is_transient(http: httpx.AsyncClient) -> None:
    adapter = ZiikAdapter.build(base_url="http://127.0.0.1:9/api", credentials={"token": "a.b.c"}, http=http)

    with pytest.raises(Transient, match="unreachable"):
        await adapter.publish(request())


async def test_the_error_message_reads_the_envelope_and_laravel_style_field_errors(http: httpx.AsyncClient) -> None:
    api = ZiikApi(http, "https://tenant.ziik.io/api", token=lambda: None)
    envelope = {"error": {"code": "validation_failed", "message": "Invalid", "is_ziik_error": True}}
    fields = {"message": "The given data was invalid.", "errors": {"title": ["Too long."], "group": ["Unknown."]}}

    assert error_message(envelope) == "Invalid [validation_failed]"
    assert error_message(fields) == "The given data was invalid. (title: Too long.; group: Unknown.)"
    assert api.message_of(Answer(422, httpx.Headers(), {"errors": {"title": ["Too long."]}}, "")) == (
        "(title: Too long.)"
    )
    assert api.message_of(Answer(502, httpx.Headers(), None, "<html>")) == ""
