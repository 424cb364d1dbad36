"""The operator's OAuth app per platform: ``OCTOPOST_<PLATFORM>_CLIENT_ID`` / ``_CLIENT_SECRET`` (the secret is
optional where the platform allows public PKCE clients) and ``_AUTHORIZE_URL`` / ``_TOKEN_URL`` / ``_REVOKE_URL``
to point the flow elsewhere (tests, a self-hosted server). One settings group per platform, read with the rest of
the settings (the environment and .env); adapters receive it through their context, never from the environment."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.info import OAuthSpec, PlatformInfo


class OAuthAppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    client_id: str | None = None
    client_secret: str | None = None
    authorize_url: str | None = None
    token_url: str | None = None
    revoke_url: str | None = None
    # A platform's API version where the app chooses it (LinkedIn's ``LinkedIn-Version``, YYYYMM).
    api_version: str | None = None


def env_prefix(platform: str) -> str:
    return f"OCTOPOST_{platform.upper()}_"


def setting_names(platform: str) -> list[str]:
    """What an operator sets to enable the flow (the secret too: most platforms' apps are confidential)."""
    return [f"{env_prefix(platform)}CLIENT_ID", f"{env_prefix(platform)}CLIENT_SECRET"]


@dataclass(frozen=True)
class OAuthApp:
    """A platform's OAuth flow as this deployment reaches it: the platform's spec with the operator's app."""

    platform: str
    spec: OAuthSpec
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    authorize_url: str = ""
    token_url: str = ""
    revoke_url: str | None = None
    api_version: str | None = None

    def context(self) -> dict[str, str]:
        """What the adapter's context carries as ``app`` (the secret stays out of reprs there too)."""
        values = {"client_id": self.client_id, "authorize_url": self.authorize_url, "token_url": self.token_url}
        if self.api_version:
            values["api_version"] = self.api_version
        if self.client_secret:
            values["client_secret"] = self.client_secret
        return values


def app_settings(platform: str, overrides: dict[str, dict[str, str]] | None = None) -> OAuthAppSettings:
    """``overrides``: Settings.oauth_apps (in-process configuration); else the environment under the prefix."""
    if overrides and platform in overrides:
        return OAuthAppSettings.model_validate(overrides[platform])
    return OAuthAppSettings(_env_prefix=env_prefix(platform))  # type: ignore[call-arg]


def oauth_app(info: PlatformInfo, overrides: dict[str, dict[str, str]] | None = None) -> OAuthApp | None:
    """The platform's app, or None where it has no OAuth flow or this deployment has no client id for it."""
    if info.oauth is None:
        return None
    settings = app_settings(info.name, overrides)
    if not settings.client_id:
        return None
    return OAuthApp(
        platform=info.name,
        spec=info.oauth,
        client_id=settings.client_id,
        client_secret=settings.client_secret or None,
        authorize_url=settings.authorize_url or info.oauth.authorize_url,
        token_url=settings.token_url or info.oauth.token_url,
        revoke_url=settings.revoke_url or info.oauth.revoke_url,
        api_version=settings.api_version or None,
    )
