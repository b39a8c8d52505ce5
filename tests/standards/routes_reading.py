"""Sweep entries for the standards reading routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

VIEW = "standards.view_standard"

ROUTES: dict[str, Route] = {
    "standards:read_list": Route(VIEW, denied="served"),
    "standards:read": Route(VIEW, sample="standards.standard", denied="served"),
    "standards:version_diff": Route(VIEW, sample="standards.standardversion", denied="served"),
}
