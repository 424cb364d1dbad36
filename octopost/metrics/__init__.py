"""Prometheus metrics: what this process did (publishes, dispatch lateness, lease takeovers, webhook deliveries,
HTTP requests), counted in its own registry, and the queue as the shared database sees it, read at each scrape.

Counters are per process: with `octopost serve` running API and scheduler together one scrape sees everything;
with separate `octopost worker` processes each counts its own work, and every process reports the queue gauges.
"""
