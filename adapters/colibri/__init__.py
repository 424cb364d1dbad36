"""ColibriSM sites ("mobile_api"): the timeline (posts.py) and direct messages (messages.py)."""

from adapters.colibri.messages import ColibriMessagesAdapter
from adapters.colibri.posts import ColibriAdapter

__all__ = ["ColibriAdapter", "ColibriMessagesAdapter"]
