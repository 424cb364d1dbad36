"""What the accounts page says about connecting each platform: how (OAuth screen or a token form), which fields a
token form asks for, and where the user finds those values."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.info import PlatformInfo
from adapters.registry import ADAPTERS, platform_info

# Where each token platform's values come from (OAuth platforms need none: the platform's own screen asks).
WHERE_TO_FIND = {
    "amity": "In the Amity Social Cloud console: your network's user access token for the posting user.",
    "bluesky": "Your handle (or e-mail) as identifier, and an app password from Settings → Privacy and security → "
    "App passwords (not your account password).",
    "colibri": "The ColibriSM site's username and password of the posting account (or a session id and user id).",
    "colibri_dm": "The ColibriSM site's username and password of the sending account (or a session id and user id).",
    "discord": "Developer Portal → your application → Bot → Reset Token for the bot token; the channel id from "
    "the channel's context menu → Copy Channel ID (with Developer Mode on).",
    "mastodon": "On your instance: Preferences → Development → New application (scopes read and write); "
    "the application's page shows Your access token. Base URL: your instance, e.g. https://mastodon.social.",
    "slack": "api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token (xoxb-…, with chat:write); "
    "the channel id from the channel's details.",
    "telegram": "Talk to @BotFather: /newbot gives the bot token; the chat id of a channel is @channelname or its "
    "numeric id (add the bot as an administrator first).",
    "ziik": "Your Ziik username and password (or an API token from your Ziik administrator); the base URL is your "
    "organisation's, e.g. https://yourcompany.ziik.io/api.",
}
_SECRET_WORDS = ("token", "password", "secret")


@dataclass(frozen=True)
class Field:
    name: str
    secret: bool

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class PlatformSetup:
    info: PlatformInfo

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def display_name(self) -> str:
        return self.info.display_name

    @property
    def uses_oauth(self) -> bool:
        return self.info.oauth is not None

    @property
    def connect_fields(self) -> tuple[str, ...]:
        return self.info.oauth.connect_fields if self.info.oauth else ()

    @property
    def fields(self) -> list[Field]:
        """Every credential any of the platform's accepted sets names, in a stable order."""
        names = dict.fromkeys(name for shape in self.info.credential_shapes for name in sorted(shape))
        return [Field(name, any(word in name for word in _SECRET_WORDS)) for name in names]

    @property
    def shapes(self) -> str:
        return " or ".join("{" + ", ".join(sorted(shape)) + "}" for shape in self.info.credential_shapes)

    @property
    def where_to_find(self) -> str:
        return WHERE_TO_FIND.get(self.name, f"See docs/platforms/{self.name}.md.")


def setups() -> list[PlatformSetup]:
    return sorted((PlatformSetup(platform_info(p.value)) for p in ADAPTERS), key=lambda s: s.display_name.lower())


def setup_of(platform: str) -> PlatformSetup | None:
    return next((s for s in setups() if s.name == platform), None)
