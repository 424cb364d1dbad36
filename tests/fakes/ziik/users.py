"""The one user the fake knows (``USERNAME``/``PASSWORD``, id ``USER_ID``) as ``GET /api/users/current`` shows it:
a member of ``HOME_UNIT``, ``SECOND_UNIT`` and the group ``GROUP_ID``."""

from __future__ import annotations

from tests.fakes.ziik.content_checks import GROUP_ID, HOME_UNIT, SECOND_UNIT

USERNAME = "editor@example.com"
PASSWORD = "correct-horse-battery-staple"
USER_ID = 7
OTHER_USER_ID = 8  # another member, whose content the user may read but not delete

USER = {
    "content_type": "user",
    "id": USER_ID,
    "name": "Erna Langworth",
    "first_name": "Erna",
    "last_name": "Langworth",
    "title": "Communications",
    "active": True,
    "email": USERNAME,
    "avatar": None,
    "url": f"api/users/{USER_ID}",
    "memberUnits": [{"unit": {"content_type": "unit", "id": u, "name": f"Unit {u}"}} for u in (HOME_UNIT, SECOND_UNIT)],
    "memberGroups": [{"id": GROUP_ID, "name": "Announcements"}],
}
