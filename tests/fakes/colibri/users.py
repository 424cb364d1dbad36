"""The site's users (ALICE signs in; BOB takes messages, CAROL blocked ALICE, DAVE takes messages from nobody), the
session ALICE copied from the site's app, and how the site describes a user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class User:
    id: int
    username: str
    first_name: str
    last_name: str
    password: str = ""
    takes_messages: bool = True
    blocked: frozenset[int] = frozenset()  # user ids this user blocked


ALICE = User(7, "alice", "Alice", "Liddell", password="alice-password")
BOB = User(8, "bob", "Bob", "Marley")
CAROL = User(9, "carol", "Carol", "Danvers", blocked=frozenset({ALICE.id}))
DAVE = User(10, "dave", "Dave", "Grohl", takes_messages=False)
USERS = {u.id: u for u in (ALICE, BOB, CAROL, DAVE)}
ALICE_SESSION = "a11ce5e55104de25cc16eb00960f076c1378c7b84ede29c0"  # as copied from the site's app


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "user_name": user.username,
        "is_verified": False,
        "post_count": 0,
        "follower_count": 0,
        "following_count": 0,
        "language": "english",
    }
