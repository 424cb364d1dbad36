"""Slack: a bot posting into one channel (adapter.py), threads as Slack's own message threads, over httpx (api.py):
the message and its mrkdwn escaping (message.py), files through the external upload flow (uploads.py), and what
Slack's answers mean (errors.py)."""

from adapters.slack.adapter import SlackAdapter

__all__ = ["SlackAdapter"]
