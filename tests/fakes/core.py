"""What every platform fake shares: latency, seeded faults, the record of what was created, and the control
plane (``/_fake/...``) a test uses to read that record and change the conditions while the fake runs.

A platform module (mastodon.py, bluesky.py, ...) only declares its routes; ``FakePlatform`` runs them through the
conditions. A route's path may hold ``{name}`` segments (``/channels/{channel_id}``): a request whose path fits
one is routed by the template, ``request.path`` becomes the template and each id arrives as the query parameter
``_<name>`` (``request.param("_channel_id")``). Faults hit only the paths in ``fault_paths`` (the platform's writes,
by default; prefixes of the path as routed, so of the template where there is one), latency every request. The
record is what a duplicate count needs: one row per object created, with its idempotency key.
"""

from __future__ import annotations

import abc
import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import Any

from tests.fakes.authorization import AuthorizationServer
from tests.fakes.http import Request, Reset, Response

FAULT_KINDS = ("429", "500", "reset", "reset_after", "slow")
_WRITES = ("POST", "DELETE")  # the methods faults hit (on the fault paths)


@dataclass
class Conditions:
    latency_ms: float = 0.0  # added to every answer
    jitter_ms: float = 0.0  # plus a uniform random share of this
    fault_rate: float = 0.0  # share of fault-path requests that get a fault
    faults: list[str] = field(default_factory=lambda: list(FAULT_KINDS))  # drawn from evenly
    retry_after_seconds: int = 1  # on 429
    slow_seconds: float = 5.0  # "slow": answered this late (past a client's read timeout), and applied
    fault_paths: list[str] = field(default_factory=list)  # path prefixes; empty: the platform's write paths
    seed: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conditions:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown conditions: {sorted(unknown)}")
        conditions = cls(**data)
        bad = set(conditions.faults) - set(FAULT_KINDS)
        if bad:
            raise ValueError(f"unknown fault kinds: {sorted(bad)}; known: {FAULT_KINDS}")
        return conditions


@dataclass(frozen=True)
class Created:
    """One object a platform created (a status, a record)."""

    id: str
    account: str
    text: str
    idempotency_key: str | None
    reply_to: str | None
    received_at: float  # when the request that created it arrived (Unix seconds)


Route = Callable[[Request], Awaitable[Response]]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


class FakePlatform(abc.ABC):
    """Routes of one platform behind the shared conditions, record and control plane."""

    write_paths: tuple[str, ...] = ()

    def __init__(self, conditions: Conditions | None = None) -> None:
        self.created: list[Created] = []
        self.stats: Counter[str] = Counter()
        self._in_flight = 0  # requests being answered now; stats["max_in_flight"] is its high-water mark
        # Whose OAuth access tokens the platform accepts besides its own (tests/fakes/authorization.py).
        self.authorization_server: AuthorizationServer | None = None
        self.set_conditions(conditions or Conditions())

    # ---- for platform modules ------------------------------------------------------------------------

    @abc.abstractmethod
    def routes(self) -> dict[tuple[str, str], Route]:
        """(method, path) → handler; a path may hold ``{name}`` segments (see the module's docstring)."""

    def record(self, item: Created) -> None:
        self.created.append(item)

    # ---- the conditions --------------------------------------------------------------------------------

    def set_conditions(self, conditions: Conditions) -> None:
        self.conditions = conditions
        self._random = random.Random(conditions.seed)

    def _fault_for(self, request: Request) -> str | None:
        c = self.conditions
        paths = tuple(c.fault_paths) or self.write_paths
        if c.fault_rate <= 0 or request.method not in _WRITES or not request.path.startswith(paths):
            return None
        if self._random.random() >= c.fault_rate:
            return None
        return self._random.choice(c.faults)

    async def _latency(self) -> None:
        c = self.conditions
        delay = c.latency_ms + (self._random.random() * c.jitter_ms if c.jitter_ms else 0.0)
        if delay > 0:
            await asyncio.sleep(delay / 1000)  # the platform being slow: what this fake is for

    # ---- the server's handler --------------------------------------------------------------------------

    async def __call__(self, request: Request) -> Response:
        if request.path.startswith("/_fake/"):
            return self._control(request)
        self.stats["requests"] += 1
        self.stats["connections"] += request.opens_connection
        self._in_flight += 1
        self.stats["max_in_flight"] = max(self.stats["max_in_flight"], self._in_flight)
        try:
            return await self._answer(request)
        finally:
            self._in_flight -= 1

    @cached_property
    def _templates(self) -> list[tuple[str, ...]]:
        """The segments of each distinct route path with ``{name}`` parts, compiled from routes() once."""
        paths = dict.fromkeys(tuple(path.strip("/").split("/")) for _method, path in self.routes())
        return [parts for parts in paths if any(map(_is_param, parts))]

    def _route_by_template(self, request: Request) -> None:
        """A path that fits a template (whatever the method) is routed by it, its ids as ``_<name>`` parameters."""
        if not self._templates:
            return
        parts = request.path.strip("/").split("/")
        for template in self._templates:
            if len(template) != len(parts):
                continue
            pairs = list(zip(template, parts, strict=True))
            if all(t == p or _is_param(t) for t, p in pairs):
                request.path = "/" + "/".join(template)
                request.query = {**request.query, **{f"_{t[1:-1]}": [p] for t, p in pairs if _is_param(t)}}
                return

    async def _answer(self, request: Request) -> Response:
        self._route_by_template(request)
        # Rails and the PDS answer a path with or without a trailing slash alike (Mastodon.py adds one).
        route = self.routes().get((request.method, request.path.rstrip("/") or "/"))
        if route is None:
            return Response(404, {"error": f"the fake has no route {request.method} {request.path}"})
        fault = self._fault_for(request)
        if fault is not None:
            self.stats[f"fault_{fault}"] += 1
        await self._latency()
        if fault == "429":
            retry = self.conditions.retry_after_seconds
            return Response(429, {"error": "Too many requests"}, {"retry-after": str(retry)})
        if fault == "500":
            return Response(500, {"error": "InternalServerError", "message": "injected by the fake"})
        if fault == "reset":
            raise Reset
        if fault == "slow":
            await asyncio.sleep(self.conditions.slow_seconds)  # an answer that comes too late
        response = await route(request)
        if fault == "reset_after":
            raise Reset  # applied, but the client never hears so
        return response

    def _control(self, request: Request) -> Response:
        if request.path == "/_fake/created" and request.method == "GET":
            return Response(200, [asdict(item) for item in self.created])
        if request.path == "/_fake/stats" and request.method == "GET":
            return Response(200, {**self.stats, "created": len(self.created)})
        if request.path == "/_fake/conditions" and request.method == "PUT":
            try:
                self.set_conditions(Conditions.from_json(request.json() or {}))
            except (TypeError, ValueError) as exc:
                return Response(400, {"error": str(exc)})
            return Response(200, asdict(self.conditions))
        if request.path == "/_fake/authorization_server" and request.method == "PUT":
            try:
                self.authorization_server = AuthorizationServer.from_json(request.json())
            except ValueError as exc:
                return Response(400, {"error": str(exc)})
            return Response(200, asdict(self.authorization_server))
        if request.path == "/_fake/reset" and request.method == "POST":
            self.created.clear()
            self.stats.clear()  # the high-water mark restarts from the requests still in flight
            self.stats["max_in_flight"] = self._in_flight
            self.on_reset()
            return Response(200, {})
        return self.control(request)

    def oauth_scopes(self, token: str | None) -> frozenset[str] | None:
        """The scopes of ``token`` when the OAuth peer this fake trusts issued it (None: not such a token)."""
        return None if self.authorization_server is None else self.authorization_server.scopes(token)

    def on_reset(self) -> None:
        """What a platform's fake forgets on /_fake/reset besides the record and stats (its control switches)."""
        return None

    def set_switch(self, request: Request, name: str, *, minimum: int = 0) -> Response:
        """A control route setting the fake's whole-number switch ``name`` from the JSON body's field ``name``."""
        value = (request.json_object() or {}).get(name)
        if type(value) is not int or value < minimum:
            return Response(400, {"error": f"{name} must be a whole number of at least {minimum}"})
        setattr(self, name, value)
        return Response(200, {name: value})

    def control(self, request: Request) -> Response:
        """A platform's own control routes under /_fake/ (an instance's limits, say); none by default."""
        return Response(404, {"error": f"no control route {request.method} {request.path}"})
