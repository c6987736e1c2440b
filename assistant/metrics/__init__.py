"""Prometheus metrics for operators: what each Rasa server counts and how /metrics is served."""
