"""What Meta's Graph APIs answer the same way in the fakes: the error envelope, the token check (``Authorization:
Bearer`` or an ``access_token`` parameter, as Graph takes either), ids, and the fields of a form or query."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from tests.fakes.http import Request, Response

EXPIRED_TOKEN_SUFFIX = "-expired"  # a token ending so: "Session has expired" (190/463)
REVOKED_TOKEN_SUFFIX = "-revoked"  # "the user has not authorized application" (190/460)
LONG_LIVED_SECONDS = 5_183_944  # what Meta's exchange and refresh answer as expires_in: about 60 days

_ids = itertools.count(17_900_000_000_000_001)


def new_id() -> str:
    return str(next(_ids))


def graph_error(
    message: str, *, code: int, subcode: int | None = None, status: int = 400, kind: str = "OAuthException"
) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": secrets.token_urlsafe(9)}
    if subcode is not None:
        error["error_subcode"] = subcode
    return Response(status, {"error": error})


def invalid_parameter(message: str) -> Response:
    return graph_error(f"(#100) {message}", code=100)


def token_of(request: Request) -> str | None:
    return request.bearer() or request.param("access_token") or fields_of(request).get("access_token")


def token_refusal(token: str | None, prefix: str) -> Response | None:
    """None when ``token`` is a live token of this platform (it starts with ``prefix``), else Meta's 190."""
    if not token:
        return graph_error(
            "An active access token must be used to query information about the current user.", code=2500
        )
    if token.endswith(EXPIRED_TOKEN_SUFFIX):
        return graph_error("Error validating access token: Session has expired.", code=190, subcode=463, status=401)
    if token.endswith(REVOKED_TOKEN_SUFFIX):
        return graph_error(
            "Error validating access token: The user has not authorized application.", code=190, subcode=460, status=401
        )
    if not token.startswith(prefix):
        return graph_error("Invalid OAuth access token - Cannot parse access token", code=190, status=401)
    return None


def fields_of(request: Request) -> dict[str, str]:
    """A POST's form (or JSON) fields, else the query's, one value each."""
    if request.method == "POST" and request.body:
        return {key: values[-1] for key, values in request.form().items()}
    return {key: values[-1] for key, values in request.query.items() if not key.startswith("_")}


def unknown_fields(fields: dict[str, str], known: frozenset[str]) -> Response | None:
    extra = sorted(set(fields) - known - {"access_token"})
    if extra:
        return invalid_parameter(f"Param {extra[0]} is not a valid parameter")
    return None
