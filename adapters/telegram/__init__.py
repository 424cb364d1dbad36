"""Telegram: a bot posting into one channel or group through the Bot API (adapter.py) over httpx (api.py), what each
segment sends (messages.py), who may post in a chat and message links (chat.py), and the error translation
(errors.py)."""

from adapters.telegram.adapter import TelegramAdapter

__all__ = ["TelegramAdapter"]
