"""Mastodon: the adapter (adapter.py), its error translation (errors.py), the instance's own limits (instance.py) and
the options a status takes (options.py)."""

from adapters.mastodon.adapter import MastodonAdapter
from adapters.mastodon.instance import clear_text_rules_cache
from adapters.mastodon.options import MastodonOptions

__all__ = ["MastodonAdapter", "MastodonOptions", "clear_text_rules_cache"]
