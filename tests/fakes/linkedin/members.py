"""Who the LinkedIn fake knows: the tokens and the members they name (one administers an organization), the error
envelopes LinkedIn answers with, and how LinkedIn reads a commentary's "little text format"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.fakes.http import Response

ORG_ID = "90210"
MEMBER_TOKEN = "li-member-token"
ADMIN_TOKEN = "li-admin-token"
OPENID_ONLY_TOKEN = "li-openid-only"
EXPIRED_TOKEN = "li-expired-token"
REVOKED_TOKEN = "li-revoked-token"
RESERVED = frozenset("|{}@[]()<>#\\*_~")
MAX_COMMENTARY = 3000
_VERSION = re.compile(r"20\d{2}(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Member:
    sub: str
    name: str
    scopes: frozenset[str]
    admin_of: frozenset[str] = frozenset()

    @property
    def urn(self) -> str:
        return f"urn:li:person:{self.sub}"

    def may_act_as(self, urn: str) -> bool:
        if urn == self.urn:
            return "w_member_social" in self.scopes
        org = urn.removeprefix("urn:li:organization:")
        return org != urn and org in self.admin_of and "w_organization_social" in self.scopes


_BASE = frozenset({"openid", "profile"})
MEMBERS = {
    MEMBER_TOKEN: Member("fakeMbr01", "Ada Member", _BASE | {"w_member_social"}),
    ADMIN_TOKEN: Member(
        "fakeAdm01", "Grace Admin", _BASE | {"w_member_social", "w_organization_social"}, frozenset({ORG_ID})
    ),
    OPENID_ONLY_TOKEN: Member("fakeOid01", "Oscar Openid", _BASE),
}
# Whoever connects through the OAuth peer: its tokens carry the scopes the connect asked for, nothing else. The
# member administers ORG_ID, so only the missing w_organization_social keeps them from posting as it.
PEER_SUB = "fakePeer01"


def peer_member(scopes: frozenset[str]) -> Member:
    return Member(PEER_SUB, "Pat Peer", scopes, frozenset({ORG_ID}))


def failure(status: int, message: str, *, code: str | None = None, service_code: int | None = None) -> Response:
    """LinkedIn's error envelope."""
    body: dict[str, object] = {"status": status, "message": message}
    if code is not None:
        body["code"] = code
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return Response(status, body)


def unprocessable(message: str) -> Response:
    """What LinkedIn answers a body it refuses (a field's path, then what is wrong)."""
    return Response(422, {"errorDetailType": "com.linkedin.common.error.BadRequest", "message": message, "status": 422})


def token_failure(token: str | None) -> Response | None:
    if token in MEMBERS:
        return None
    if token == EXPIRED_TOKEN:
        return failure(
            401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN", service_code=65602
        )
    if token == REVOKED_TOKEN:
        return failure(
            401,
            "The token used in the request has been revoked by the user",
            code="REVOKED_ACCESS_TOKEN",
            service_code=65601,
        )
    return failure(401, "Invalid access token", code="INVALID_ACCESS_TOKEN", service_code=65600)


def version_failure(headers: dict[str, str]) -> Response | None:
    version = headers.get("linkedin-version")
    if not version:
        return failure(
            400,
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
            code="VERSION_MISSING",
        )
    if not _VERSION.fullmatch(version):
        return failure(426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION")
    if headers.get("x-restli-protocol-version") != "2.0.0":
        return failure(
            400, "X-Restli-Protocol-Version 2.0.0 is required by the versioned APIs", code="ILLEGAL_ARGUMENT"
        )
    return None


def shown(commentary: str) -> tuple[str, bool]:
    """(the text people see, whether LinkedIn cut it): an escaped reserved character is itself; an unescaped one
    starts markup the fake does not render, and LinkedIn drops the text from there."""
    out: list[str] = []
    chars = iter(commentary)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following in RESERVED and following:
                out.append(following)
                continue
            return "".join(out), True
        if char in RESERVED:
            return "".join(out), True
        out.append(char)
    return "".join(out), False


def forbidden(what: str) -> Response:
    return failure(403, f"Not enough permissions to access: {what}", code="ACCESS_DENIED", service_code=100)
