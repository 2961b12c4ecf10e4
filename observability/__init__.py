"""Metrics (Prometheus) and structured logs for every process; no botbuilder, no store imports."""
