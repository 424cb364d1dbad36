"""What a platform is and what it takes, as data: identity, text, media, polls, reply policies, its options and how
it posts a thread. One ``PlatformInfo`` per adapter; one validation path (adapters/validation.py) enforces it at
create, schedule and publish time, and one contract test checks every adapter's declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from adapters.options import PlatformOptions


class Platform(StrEnum):
    """Every platform identifier the Octopost API accepts: the seed's twelve, then the platforms of our other
    seeds (ColibriSM timelines and direct messages, Amity Social Cloud, Ziik)."""

    TWITTER = "twitter"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"
    THREADS = "threads"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    DISCORD = "discord"
    SLACK = "slack"
    TELEGRAM = "telegram"
    COLIBRI = "colibri"
    COLIBRI_DM = "colibri_dm"
    AMITY = "amity"
    ZIIK = "ziik"


class ThreadMode(StrEnum):
    """How segments 1..n of a post are sent (the publisher's table in scheduler/thread_modes.py)."""

    NATIVE_REPLY = "native_reply"  # each segment replies to the one before it
    COMMENT_ON_MAIN = "comment_on_main"  # each segment is a comment on the main post
    MESSAGE_THREAD = "message_thread"  # the platform's own thread primitive (Discord threads, a DM conversation)
    SEQUENTIAL_NUMBERED = "sequential_numbered"  # top-level posts with " (i/n)" appended
    SINGLE = "single"  # one item: a thread is folded into it where the platform has room, else refused


class TextCounting(StrEnum):
    """How a platform counts the length of a text (see adapters/text.py)."""

    GRAPHEMES = "graphemes"  # Bluesky: extended grapheme clusters (+ a UTF-8 byte cap)
    X_WEIGHTED = "x_weighted"  # X: twitter-text weighted length (URLs 23, CJK/emoji 2)
    MASTODON = "mastodon"  # graphemes, URLs count as a fixed length, remote mentions as the local part
    CODEPOINTS = "codepoints"
    UTF16 = "utf16"  # UTF-16 code units, as JavaScript's String.length counts (Telegram, Node back ends)
    EMOJI_BYTES = "emoji_bytes"  # characters, but an emoji as its UTF-8 bytes (Threads)


class ReplyPolicy(StrEnum):
    """Who may reply to the main post. ``everyone`` is what every platform does without being told."""

    EVERYONE = "everyone"
    FOLLOWERS = "followers"
    FOLLOWING = "following"
    MENTIONED = "mentioned"
    NOBODY = "nobody"


@dataclass(frozen=True)
class TextRules:
    max_chars: int
    counting: TextCounting
    max_bytes: int | None = None
    url_length: int = 23  # what one URL counts as where the platform shortens links
    # Where a text riding on something else has a lower limit: a segment's text beside its media (a caption), or the
    # main post's text carried by its poll (Telegram: 1024 against 4096). Counted like max_chars. None: no other.
    caption_max_chars: int | None = None
    # Most distinct links one text may carry (Threads refuses more than 5). None: no limit.
    max_links: int | None = None
    # Most hashtags one text may carry (Instagram: 30). None: no limit.
    max_hashtags: int | None = None


@dataclass(frozen=True)
class MediaRules:
    max_images: int
    max_image_bytes: int
    image_types: frozenset[str]
    max_videos: int
    max_video_bytes: int
    video_types: frozenset[str]
    alt_text_max_chars: int | None = None
    # False where a segment may carry images or a video but the platform cannot take both in one post.
    images_with_video: bool = False
    # All files of one post together, where the platform caps them beyond max_images/max_videos.
    max_attachments: int | None = None
    # The main post must carry media (Instagram, TikTok, YouTube).
    required: bool = False
    # Whether segments after the first may carry media.
    in_replies: bool = True


@dataclass(frozen=True)
class PollRules:
    """A platform's native polls. A post's poll rides on its main post."""

    max_options: int
    max_option_chars: int
    min_duration_minutes: int
    max_duration_minutes: int
    min_options: int = 2
    # The duration must be a whole number of these (Discord counts hours).
    duration_step_minutes: int = 1
    # A poll and media in one post (X and Mastodon refuse that).
    with_media: bool = False
    # Where the poll carries a question of its own (poll.question, else the post's first line), its limit.
    max_question_chars: int | None = None
    # False where the platform's polls never close (ColibriSM): the duration is not checked, and not applied.
    closes: bool = True


class ClientAuth(StrEnum):
    BASIC = "client_secret_basic"
    POST = "client_secret_post"


@dataclass(frozen=True)
class OAuthSpec:
    """How a platform's OAuth 2.0 authorization-code flow (with PKCE) is reached: its public endpoints and the
    scopes posting needs (with media and offline refresh). The operator's app settings (client id and secret) and
    any endpoint override live in octopost/oauth/apps.py, never here."""

    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    # RFC 7009: where a disconnect revokes the account's tokens (None: the platform has no such endpoint).
    revoke_url: str | None = None
    scope_separator: str = " "
    # What the authorize URL adds beyond the standard parameters (a platform's own flags).
    authorize_params: tuple[tuple[str, str], ...] = ()
    # The name the platform gives the app's id in the authorize URL and token form (TikTok: "client_key").
    client_id_param: str = "client_id"
    # How the app authenticates at the token endpoint: HTTP Basic (RFC 6749's preference: X, Google) or the id and
    # secret in the form ("client_secret_post": Meta, LinkedIn, TikTok, which refuse or ignore Basic).
    client_auth: ClientAuth = ClientAuth.BASIC
    # Non-secret account fields the user may give when starting the connect (Facebook's page_id, LinkedIn's
    # organization_id): kept with the state and added to the credentials before the first verify.
    connect_fields: tuple[str, ...] = ()
    # Fields of the token endpoint's answer the account keeps beside the tokens (TikTok's open_id, Meta's user_id).
    token_fields: tuple[str, ...] = ()
    # Where the platform issues no refresh token but renews the live token itself (Meta's 60-day tokens through
    # the adapter's refresh()): renew it this long before ``expires_at``, while it is still valid.
    renew_before_expiry_days: int | None = None


@dataclass(frozen=True)
class PlatformInfo:
    """A platform's identity and limits: data, not code. One contract test checks every adapter's."""

    platform: Platform
    display_name: str
    default_base_url: str
    text: TextRules
    media: MediaRules
    thread_mode: ThreadMode
    # Accepted credential shapes: each tuple is one complete set of required keys.
    credential_shapes: tuple[frozenset[str], ...]
    # True when re-sending a segment with the same idempotency key cannot create a second post...
    idempotent_publish: bool = False
    # ...for this long after the first send (None: forever). Past it, an in-doubt segment is unconfirmed.
    idempotency_window_seconds: float | None = None
    polls: PollRules | None = None  # None: the platform has no polls
    reply_policies: frozenset[ReplyPolicy] = frozenset({ReplyPolicy.EVERYONE})
    # The platform's ``platform_options`` (a msgspec Struct with forbid_unknown_fields); None: it takes none.
    options: type[PlatformOptions] | None = None
    # SINGLE mode only: the segments are folded into the one item as paragraphs (within its text limit).
    folds_thread: bool = False
    # One publish at a time per account, across every worker: the platform keeps per-user state between the calls
    # of one post (ColibriSM attaches uploaded media to the user's one draft until the next publish).
    one_publish_at_a_time: bool = False
    # Where accounts connect through the platform's OAuth 2.0 screen (POST /v1/accounts/connect) and tokens refresh.
    oauth: OAuthSpec | None = None
    native_unpublish: bool = False  # the platform takes the post's unpublish_at with it (Ziik): no delete scheduled
    # Where access tokens expire without a refresh token (LinkedIn's 60-day tokens for most apps): warn this many
    # days before the stored ``expires_at`` (an ``account.expiring`` event); None: nothing to warn about.
    warns_before_expiry_days: int | None = None

    @property
    def name(self) -> str:
        return self.platform.value
