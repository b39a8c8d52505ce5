"""Sweep entries for the standards standards routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

ROUTES: dict[str, Route] = {
    "standards:standard_list": Route("standards.view_standard", denied="served"),
    "standards:standard_detail": Route(
        "standards.view_standard", sample="standards.standard", denied="served"
    ),
    "standards:standard_propose": Route("standards.add_standard", denied="leader"),
    "standards:standard_adopt": Route("standards.manage_standard", denied="department_head"),
    "standards:standard_update": Route(
        "standards.change_standard", sample="standards.standard", denied="department_head"
    ),
    "standards:standard_delete": Route(
        "standards.manage_standard",
        sample="standards.standard",
        method="post",
        denied="department_head",
    ),
}
