"""What one chat.postMessage carries, and how a message is found again.

User text goes as ``text`` with Slack's three control characters escaped (``&`` → ``&amp;``, ``<`` → ``&lt;``,
``>`` → ``&gt;``, as Slack's formatting docs ask): text written for another platform can never become a mention
(``<@U…>``, ``<!channel>``, ``<!here>``) or a disguised link (``<https://…|label>``). ``link_names=false`` and
``parse=none`` keep Slack from turning a plain "@here" or "#channel" into one either. Slack's mrkdwn emphasis
(``*bold*``, ``_italic_``, ``~strike~``, backticks) is not escaped: Slack has no escape for it, and it reads as the
writer meant it. Bare URLs are still linked by Slack, as in any message.

``thread_ts`` is always the thread's main message's ``ts``: Slack's docs say never to use a reply's.
"""

from __future__ import annotations

import re

from adapters.base import PublishRequest, Rejected

# Slack's message ts: seconds, a dot, a sequence number ("1503435956.000247"); it is the message's id in its channel.
_TS = re.compile(r"\d+\.\d+")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_fields(channel: str, text: str, thread_ts: str | None) -> dict[str, str]:
    fields = {"channel": channel, "text": escape(text), "link_names": "false", "parse": "none"}
    if thread_ts is not None:
        fields["thread_ts"] = thread_ts
    return fields


def thread_of(request: PublishRequest) -> str | None:
    """The ts of the thread's main message for a reply (None for the main message): the root, never the parent."""
    main = request.root or request.parent
    if main is None:
        return None
    if not _TS.fullmatch(main.id):
        raise Rejected(f"Slack: {main.id!r} is not a Slack message ts; a Slack thread continues only a Slack message")
    return main.id


def archive_url(team_url: str | None, channel: str, ts: str) -> str:
    """A message's archive link, built as Slack builds its permalinks (used only when chat.getPermalink failed after
    the message was posted: the message is there, and asking again could only post it twice)."""
    base = (team_url or "https://slack.com/").rstrip("/")
    return f"{base}/archives/{channel}/p{ts.replace('.', '')}"
