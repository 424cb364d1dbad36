"""ColibriSM sites ("mobile_api"): the timeline (posts.py) and direct messages (messages.py), sharing the account
and its session (account.py), the site's client (site.py), what its answers mean (envelope.py), the draft that
uploads wait in (draft.py) and the platform options (options.py)."""

from adapters.colibri.messages import ColibriMessagesAdapter
from adapters.colibri.posts import ColibriAdapter

__all__ = ["ColibriAdapter", "ColibriMessagesAdapter"]
