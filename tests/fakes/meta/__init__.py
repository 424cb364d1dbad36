"""What the Meta Graph fakes (Threads, Instagram) share: the error envelope and token check (graph.py), media
fetched from their URLs for real (media.py), containers that process over several status polls (containers.py),
the long-lived token exchange at connect (exchange.py), and the published record, quota and control plane (base.py)."""
