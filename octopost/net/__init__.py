"""Outbound network policy: every user-supplied URL (media, webhooks, account base URLs) is fetched only from
addresses the policy allows, and connections go to the very address that was checked (no second lookup).

addresses.py  which IP addresses are refused, and the operator's allowlist
hosts.py      how a URL's host is read (odd IPv4 spellings, brackets, trailing dots) and resolved
guard.py      NetworkGuard (resolve + check), the errors, and ``check_url`` for validating input up front
transport.py  the httpx transport used by ``Runtime.http``: pinned connects, a total deadline, a size cap
sync.py       the same guard as a ``requests`` session for the SDKs that bring their own (Mastodon.py, tweepy)
"""
