"""Tracker stores (endpoints.prod.yml names them)."""
