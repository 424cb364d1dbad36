"""Recurring posts: a series is a rule (rules.py) and a template of the post; each occurrence is a post of its own
(own status and results) linked by ``series_id``. The post created with the rule is the first; the scheduler
creates later ones ahead of their time (materialize.py), each once however many workers run (a unique key on
(series, occurrence time) and the series row locked while its cursor moves)."""
