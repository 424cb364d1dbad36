"""Discord: a bot posting into one channel (adapter.py), threads as message threads, over httpx (api.py), the message
body and its checks (message.py), polls (poll.py), and the error translation (errors.py)."""

from adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
