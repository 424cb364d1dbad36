"""A ColibriSM site's mobile API (``/mobile_api/<endpoint>``) as the ColibriSM adapters (adapters/colibri/) need
it, one site serving the timeline and the direct messages: ``login``, ``refresh_access_token``, ``profile``,
``get_chats``, ``thread_data``, ``upload_post_media``, ``delete_post_media``, ``publish_post``, ``send_message``.
Fields, limits and answers as the seeds (colibri-create-post-api.txt, colibri-messages-api.txt) and the public
api_docs pages of ColibriSM sites give them; what no public page shows (login's and refresh's fields and answers,
thread_data's refusal, the fake's own refusals of unknown fields) is marked "not documented" below.

What it checks, as the site does: HTTP 200 for everything with the real status in the body's ``code``; every call
but login/refresh needs a known ``session_id`` (else ``{"code": 401, "message": "Unauthorized Access"}``, or the
variants of the ``unauthorized`` quirk: HTTP 401, ``{"status": 400, "error": "Invalid access token"}``); an unknown
endpoint answers ``{"status": "400", "err_code": "invalid_endpoint"}``. ``post_text`` past 600 characters is
**cropped silently**. Uploads attach to the user's **one draft** and ``publish_post`` takes every file waiting there
(two posts uploading at once merge); ≤10 images or one video; a GIF or a poll only without other media; polls of
2 to 4 ``{"value": ...}`` options (≤100 characters: not documented, our bound); ``privacy`` one of everyone,
followers, mentioned, ignored for replies (the site opens replies to everyone); a reply's ``thread_id`` is **not
checked**. Messages ≤3000 characters, one image (``type=media``); BOB takes messages, CAROL blocked ALICE, DAVE
takes messages from nobody. Stricter than the site on purpose: unknown fields are refused (a misspelt field fails a
test), files must look like what their ``type`` says.

Faults (``Conditions``) hit publish_post, send_message and upload_post_media, re-shaped as the site answers them: a
429 comes from the web server in front (HTML, Retry-After), a 500 is the application's own envelope (HTTP 200,
``code`` 500, "try again later") and was not applied. Control (``/_fake/...``): ``PUT quirks`` (``unauthorized``,
``php_warning`` endpoints, ``missing`` endpoints, ``http_error`` {endpoint, status, applied}), ``POST
expire_sessions``, ``GET posts|messages|drafts``. ``created()`` rows: one per post (``reply_to`` = its thread_id)
or message; ``account`` is the author's user id.

Modules: users.py (who is on the site), answers.py (the envelopes), quirks.py, calls.py (what a handler sees of a
request), state.py (what the site keeps), sessions.py, posts.py, messages.py (the endpoint groups) and routes.py
(``FakeColibri``).
"""

from tests.fakes.colibri.calls import API, Call
from tests.fakes.colibri.messages import MAX_MESSAGE_CHARS
from tests.fakes.colibri.posts import MAX_IMAGES, MAX_POLL_OPTION_CHARS, MAX_POST_CHARS, PRIVACY
from tests.fakes.colibri.quirks import PHP_WARNING, Quirks
from tests.fakes.colibri.routes import FAULTED, FakeColibri
from tests.fakes.colibri.users import ALICE, ALICE_SESSION, BOB, CAROL, DAVE, USERS, User

__all__ = [
    "ALICE",
    "ALICE_SESSION",
    "API",
    "BOB",
    "CAROL",
    "DAVE",
    "FAULTED",
    "MAX_IMAGES",
    "MAX_MESSAGE_CHARS",
    "MAX_POLL_OPTION_CHARS",
    "MAX_POST_CHARS",
    "PHP_WARNING",
    "PRIVACY",
    "USERS",
    "Call",
    "FakeColibri",
    "Quirks",
    "User",
]
