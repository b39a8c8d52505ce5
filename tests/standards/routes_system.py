"""Sweep entries for the standards system routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

NODE = "standards.standardnode"

ROUTES: dict[str, Route] = {
    "standards:system": Route("standards.view_standardnode", denied="worker"),
    "standards:system_template": Route(
        "standards.add_standardnode", method="post", denied="department_head"
    ),
    "standards:node_create": Route("standards.add_standardnode", denied="department_head"),
    "standards:node_detail": Route("standards.view_standardnode", sample=NODE, denied="worker"),
    "standards:node_update": Route(
        "standards.change_standardnode", sample=NODE, denied="department_head"
    ),
    "standards:node_move": Route(
        "standards.change_standardnode", sample=NODE, method="post", denied="department_head"
    ),
    "standards:node_retire": Route(
        "standards.change_standardnode", sample=NODE, method="post", denied="department_head"
    ),
    "standards:node_restore": Route(
        "standards.change_standardnode", sample=NODE, method="post", denied="department_head"
    ),
    "standards:coverage": Route("standards.view_standardnode", denied="worker"),
    "standards:settings": Route("standards.change_standardsettings", denied="leader"),
}
