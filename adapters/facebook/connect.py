"""Finishing a Facebook connect (FinishesConnect): from the code exchange's short-lived user token to the Page token
the account posts with.

1. The short-lived user token (an hour or two) is traded for a long-lived one: ``GET /oauth/access_token`` with
   ``grant_type=fb_exchange_token``, the app's ``client_id`` and ``client_secret`` and the token as
   ``fb_exchange_token`` (Graph's documented form: query parameters; adapters/http.py never puts URLs in messages).
2. The Page: the one named at connect (``fields.page_id``), else the only Page the user may post on; several
   possible Pages are refused, naming each, so the user connects again choosing one.

A Page token obtained with a long-lived user token does not expire, which is why step 1 happens at all: the Page
token from a short-lived one would die with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.answers import non_empty_text
from adapters.base import Rejected, Transient
from adapters.facebook.api import GraphApi
from adapters.facebook.errors import error_code, graph_error
from adapters.facebook.pages import Page, managed_page, managed_pages

_APP_REFUSED = frozenset({1, 101})  # "Error validating client secret." / "Invalid application ID."


async def long_lived_user_token(app_api: GraphApi, app: Mapping[str, str], short_lived: str) -> str:
    """The long-lived user token for ``short_lived`` (``app_api``: a GraphApi without a token of its own)."""
    client_id, secret = app.get("client_id"), app.get("client_secret")
    if not client_id or not secret:
        raise Rejected("Facebook: the long-lived token exchange needs the app's id and secret (OCTOPOST_FACEBOOK_*)")
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": client_id,
        "client_secret": secret,
        "fb_exchange_token": short_lived,
    }
    answer = await app_api.exchange("GET", "/oauth/access_token", action="long-lived token exchange", params=params)
    if not 200 <= answer.status < 300:
        error = graph_error(answer.body)
        if error_code(answer.body) in _APP_REFUSED and error.get("is_transient") is not True:
            raise Rejected(
                f"Facebook refused the app's credentials ({app_api.message_of(answer)}); check its id and secret"
            )
        raise app_api.error_for(answer, action="long-lived token exchange")
    token = non_empty_text(answer.body.get("access_token")) if isinstance(answer.body, Mapping) else None
    if token is None:
        raise Transient("Facebook answered the long-lived token exchange without a token")
    return token


async def chosen_page(user: GraphApi, page_id: str | None) -> Page:
    """The Page named at connect, or the only one the user may post on."""
    if page_id:
        return await managed_page(user, page_id)
    postable = [entry for entry in await managed_pages(user) if entry.may_post]
    if len(postable) == 1:
        return postable[0].page()
    if not postable:
        raise Rejected(
            "Facebook: the connected user manages no Page it may create content on (or granted none to Octopost)"
        )
    raise Rejected(
        f"Facebook: the user manages several Pages: {', '.join(entry.label for entry in postable)}. Connect again "
        'naming the one to post as: "fields": {"page_id": "<its id>"}'
    )
