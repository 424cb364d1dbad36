"""Threads (graph.threads.net): posts as media containers published with threads_publish (adapter.py), the
container calls and their resumable steps (containers.py, over adapters/meta/), replies as native replies."""

from adapters.threads.adapter import ThreadsAdapter

__all__ = ["ThreadsAdapter"]
