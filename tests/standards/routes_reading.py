"""Sweep entries for the standards reading routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

ROUTES: dict[str, Route] = {}
