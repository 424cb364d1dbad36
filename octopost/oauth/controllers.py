"""HTTP routes of the OAuth connect: POST /v1/accounts/connect (with an API key) and GET /v1/oauth/callback (the
platform redirects the user's browser there: no API key, the single-use state stands for the caller)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.response import Redirect

from octopost.errors import error_responses
from octopost.keys.service import Caller
from octopost.oauth import service
from octopost.oauth.pages import back_to, page
from octopost.oauth.schemas import ConnectStart, ConnectStarted
from octopost.public_operation import PublicOperation
from octopost.runtime import Runtime


class OAuthConnectController(Controller):
    path = "/v1/accounts/connect"
    tags = ["accounts"]
    opt = {"scope": "accounts:write"}

    @post(
        "/",
        status_code=201,
        summary="Start connecting an account through the platform's OAuth screen",
        responses=error_responses(422),
    )
    async def start(self, data: ConnectStart, runtime: Runtime, caller: Caller) -> ConnectStarted:
        return await service.start(runtime, caller, data)


@get(
    "/v1/oauth/callback",
    summary="Where platforms send the user back after authorizing",
    tags=["accounts"],
    operation_class=PublicOperation,
    media_type=MediaType.HTML,  # a page for the user's browser, not JSON
    responses={
        303: ResponseSpec(data_container=None, description="Connected: back to return_to with account_id added"),
        400: ResponseSpec(
            data_container=str,
            media_type=MediaType.HTML,
            description="Nothing was connected: a page saying why (denied, replayed or expired state, refused code)",
            generate_examples=False,
        ),
    },
)
async def oauth_callback(
    runtime: Runtime,
    code: str | None = None,
    # "state" is a name Litestar reserves for the app's state: the query parameter is read under another name.
    oauth_state: Annotated[str | None, Parameter(query="state")] = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response[str] | Redirect:
    try:
        connected = await service.finish(
            runtime, code=code, state=oauth_state, error=error, error_description=error_description
        )
    except service.ConnectFailed as failed:
        return page(failed.title, failed.message, status_code=400)
    account = connected.account
    if connected.return_to:
        return back_to(connected.return_to, account.id)
    return page(
        f"{connected.display_name} account connected",
        f"@{account.username} is connected to Octopost as account {account.id}. You can close this page.",
        status_code=200,
    )
