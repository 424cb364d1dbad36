"""Connecting accounts through a platform's own OAuth 2.0 screen (authorization code + PKCE + state), and keeping
their tokens fresh: the operator's app settings (apps.py), the RFC 6749 token client (client.py), the single-use
states (states.py, tables.py), the connect and callback steps (service.py, controllers.py, pages.py) and the
refresh that two workers may race (refresh.py)."""
