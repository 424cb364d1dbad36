"""Every table, imported once so SQLModel.metadata (and Alembic) sees them all."""

from sqlmodel import SQLModel

from octopost.accounts.tables import Account
from octopost.idempotency.tables import IdempotencyRecord
from octopost.keys.tables import ApiKey, Workspace
from octopost.oauth.tables import OAuthState
from octopost.posts.tables import Delivery, Post, PostCount, Target, Unpublish
from octopost.presets.tables import Preset
from octopost.queue.tables import QueueSchedule, SlotClaim
from octopost.ratelimit.tables import RateLimitCounter
from octopost.series.tables import PostSeries
from octopost.uploads.tables import Upload
from octopost.webhooks.tables import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

metadata = SQLModel.metadata

__all__ = [
    "Account",
    "ApiKey",
    "Delivery",
    "IdempotencyRecord",
    "OAuthState",
    "Post",
    "PostCount",
    "PostSeries",
    "Preset",
    "QueueSchedule",
    "RateLimitCounter",
    "SlotClaim",
    "Target",
    "Unpublish",
    "Upload",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "Workspace",
    "metadata",
]
