"""Webhook endpoint use cases: create, list, read, update, delete, rotate the secret, list attempts.

The signing secret is generated here, stored encrypted, and returned only by create and rotate-secret.
"""

from __future__ import annotations

import logging

from msgspec import UNSET

from octopost.db import utcnow
from octopost.errors import NotFound, Problems, ValidationFailed
from octopost.ids import new_id
from octopost.keys.service import Caller
from octopost.runtime import Runtime
from octopost.urls import is_http_url
from octopost.webhooks import repository
from octopost.webhooks.events import KNOWN_EVENTS
from octopost.webhooks.schemas import WebhookAttemptList, WebhookCreate, WebhookRead, WebhookUpdate, WebhookWithSecret
from octopost.webhooks.signing import new_secret
from octopost.webhooks.tables import WebhookEndpoint
from octopost.webhooks.views import attempt_read, to_read, with_secret

log = logging.getLogger("octopost.webhooks")

MAX_URL_CHARS = 2000
MAX_ATTEMPTS_PAGE = 100
DISABLED_BY_USER = "disabled with PUT /v1/webhooks/{id}"


def check_url(url: str, problems: Problems) -> str:
    url = url.strip()
    if not is_http_url(url):
        problems.add(f"url: must be an http(s) URL, got {url!r}")
    elif len(url) > MAX_URL_CHARS:
        problems.add(f"url: is {len(url)} characters; at most {MAX_URL_CHARS}")
    return url


def check_events(events: list[str], problems: Problems) -> list[str]:
    if not events:
        problems.add("events: at least one event is required")
    unknown = [e for e in events if e not in KNOWN_EVENTS]
    if unknown:
        problems.add(f"events: unknown {unknown}; valid values: {', '.join(sorted(KNOWN_EVENTS))}")
    return list(dict.fromkeys(events))  # duplicates are harmless: keep the first of each


def _encrypt(runtime: Runtime, secret: str) -> str:
    return runtime.cipher.encrypt({"secret": secret})


async def create(runtime: Runtime, caller: Caller, data: WebhookCreate) -> WebhookWithSecret:
    problems = Problems()
    url = check_url(data.url, problems)
    events = check_events(data.events, problems)
    problems.raise_if_any()
    # Refused now, with the reason, rather than failing every delivery later (the sender checks each hop too).
    await runtime.network.check_url(url, what="url")
    secret = new_secret()
    now = utcnow()  # one clock read per write: created_at == updated_at
    endpoint = WebhookEndpoint(
        id=new_id("wh"),
        workspace_id=caller.workspace_id,
        is_test=caller.is_test,
        url=url,
        events=events,
        secret_encrypted=_encrypt(runtime, secret),
        created_at=now,
        updated_at=now,
    )
    async with runtime.db.transaction() as session:
        session.add(endpoint)
    log.info("webhook endpoint created", extra={"endpoint_id": endpoint.id, "events": events})
    return with_secret(endpoint, secret)


async def list_endpoints(runtime: Runtime, caller: Caller) -> list[WebhookRead]:
    async with runtime.db.session() as session:
        return [to_read(e) for e in await repository.list_all(session, caller.workspace_id, caller.is_test)]


async def get(runtime: Runtime, caller: Caller, endpoint_id: str) -> WebhookRead:
    async with runtime.db.session() as session:
        endpoint = await repository.get(session, caller.workspace_id, caller.is_test, endpoint_id)
    if endpoint is None:
        raise NotFound(f"Webhook {endpoint_id} not found")
    return to_read(endpoint)


async def update(runtime: Runtime, caller: Caller, endpoint_id: str, data: WebhookUpdate) -> WebhookRead:
    problems = Problems()
    url = check_url(data.url, problems) if data.url is not UNSET else None
    events = check_events(data.events, problems) if data.events is not UNSET else None
    problems.raise_if_any()
    if url is not None:
        await runtime.network.check_url(url, what="url")
    async with runtime.db.transaction() as session:
        endpoint = await repository.get(session, caller.workspace_id, caller.is_test, endpoint_id)
        if endpoint is None:
            raise NotFound(f"Webhook {endpoint_id} not found")
        now = utcnow()
        if url is not None:
            endpoint.url = url
        if events is not None:
            endpoint.events = events
        if data.is_active is True and not endpoint.is_active:
            # A fresh start: the failure run that disabled it is forgotten.
            endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_reason = True, 0, None
        elif data.is_active is False and endpoint.is_active:
            endpoint.is_active, endpoint.disabled_reason = False, DISABLED_BY_USER
            await repository.stop_pending(session, endpoint.id, "endpoint disabled", now)
        endpoint.updated_at = now
        session.add(endpoint)
    log.info("webhook endpoint updated", extra={"endpoint_id": endpoint_id, "is_active": endpoint.is_active})
    return to_read(endpoint)


async def delete(runtime: Runtime, caller: Caller, endpoint_id: str) -> None:
    async with runtime.db.transaction() as session:
        endpoint = await repository.get(session, caller.workspace_id, caller.is_test, endpoint_id)
        if endpoint is None:
            raise NotFound(f"Webhook {endpoint_id} not found")
        await session.delete(endpoint)  # its deliveries and attempts go with it (ON DELETE CASCADE)
    log.info("webhook endpoint deleted", extra={"endpoint_id": endpoint_id})


async def rotate_secret(runtime: Runtime, caller: Caller, endpoint_id: str) -> WebhookWithSecret:
    secret = new_secret()
    async with runtime.db.transaction() as session:
        endpoint = await repository.get(session, caller.workspace_id, caller.is_test, endpoint_id)
        if endpoint is None:
            raise NotFound(f"Webhook {endpoint_id} not found")
        endpoint.secret_encrypted = _encrypt(runtime, secret)
        endpoint.updated_at = utcnow()
        session.add(endpoint)
    log.info("webhook secret rotated", extra={"endpoint_id": endpoint_id})
    return with_secret(endpoint, secret)


async def attempts(runtime: Runtime, caller: Caller, endpoint_id: str, limit: int) -> WebhookAttemptList:
    if not 1 <= limit <= MAX_ATTEMPTS_PAGE:
        raise ValidationFailed.of([f"limit: must be between 1 and {MAX_ATTEMPTS_PAGE}"])
    async with runtime.db.session() as session:
        endpoint = await repository.get(session, caller.workspace_id, caller.is_test, endpoint_id)
        if endpoint is None:
            raise NotFound(f"Webhook {endpoint_id} not found")
        rows = await repository.recent_attempts(session, endpoint.id, limit)
    return WebhookAttemptList(deliveries=[attempt_read(a) for a in rows])
