"""Sweep entries for the standards search routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

ROUTES: dict[str, Route] = {
    "standards:search": Route("standards.view_standard", denied="served"),
}
