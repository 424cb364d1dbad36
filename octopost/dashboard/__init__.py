"""The dashboard at /app: server-rendered pages (Jinja2) over the same services the REST API calls.

How to add a page (what the other dashboard modules do):

* **Routing.** Write a Litestar ``Controller`` (or handler) and add it to ``PAGES`` in ``routes.py``. Everything in
  ``PAGES`` lives under ``/app``; its paths are relative to that (``path = "/compose"`` → ``/app/compose``). Declare
  the key scope the page needs in ``opt`` exactly like the REST controllers (``opt = {"scope": "posts:write"}``).

* **Who is signed in.** Take ``caller: Caller`` (``octopost.keys.service.Caller``) as a handler argument. On the
  dashboard router that dependency is ``access.provide_dashboard_caller``: the session's API key resolved again on
  this request (revoked → signed out), its rate limit counted, the route's scope checked (403 page without it).
  No session → 303 to ``/app/login?next=…``. Pass the caller (and ``runtime: Runtime``) to the same service
  functions the REST controllers call; a test key's caller is a sandbox one, as in the API.

* **Rendering.** ``render.render(request, "page.html", {"title": ..., ...})`` returns the Template response with
  the base context every template gets: ``caller``, ``sandbox`` (a test key: base.html shows the banner),
  ``csrf_token``, ``nav``, ``flash`` (the one-shot message) and ``path``. Templates ``{% extends "base.html" %}``
  and fill ``{% block content %}`` (and optionally ``{% block head %}``); ``static_url("name.js")`` gives a
  cache-busting URL of a file in ``static/``. Autoescaping is on. Scripts and styles must be files in ``static/``
  (the Content-Security-Policy refuses inline ones).

* **Forms.** Every ``<form method="post">`` carries
  ``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">``. ``access.csrf_guard`` refuses any non-GET
  request under /app without this session's token (403 page, nothing done) before the handler runs, so handlers
  need not check it. Read the body with ``await request.form()``. Answer a successful form with
  ``render.redirect(request, "/app/somewhere", "Message shown once")`` (303; ``kind="error"`` for a failure).
  A ``DomainError`` a service raises (``ValidationFailed``, ``NotFound``...) becomes an error page with its status
  and message (``failures.py``); catch ``ValidationFailed`` yourself to show the form again with its problems.

* **JavaScript.** ``static/app.js`` defines ``window.octopost``: ``octopost.fetchJSON(url, body)`` calls a JSON
  endpoint (GET without ``body``, POST with it; ``{method: "PATCH"}`` as a third argument for others), sending
  the ``X-CSRF-Token`` header from ``<meta name="csrf-token">`` that base.html writes; it resolves to the parsed
  answer or rejects with an Error carrying ``.status`` and ``.body`` (the API's ``{"error","code","details"}``).
  Put such endpoints under ``/app/api/...``: there failures answer in the API's JSON envelope instead of pages
  (401 instead of the sign-in redirect). Include your page's own script with
  ``{% block head %}<script src="{{ static_url('compose.js') }}" defer></script>{% endblock %}``.

Security: the session cookie (``session.py``) is sealed with a key derived by HKDF from the secret key (never the
credential-encryption key), HttpOnly, SameSite=Strict, Path=/app, Secure when OCTOPOST_PUBLIC_URL is https; the
API key inside is never shown in a page. The REST API under /v1 takes bearer keys only and ignores the cookie.
"""
