"""A workspace's posting queue: weekly time slots in its timezone (tables.py, slots.py), the next free ones
(service.py), and ``scheduled_for: "next_free_slot"``, which takes one for a post so that two requests at once
never get the same slot (claims.py)."""
