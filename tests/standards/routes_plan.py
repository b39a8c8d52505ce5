"""Sweep entries for the standards plan routes (see tests/test_url_sweep.py)."""

from tests.routes import Route

PLAN = "standards.standardplan"
ITEM = "standards.planitem"

ROUTES: dict[str, Route] = {
    "standards:plan_list": Route("standards.view_standardplan", denied="worker"),
    "standards:plan_create": Route("standards.add_standardplan", denied="department_head"),
    "standards:plan_detail": Route("standards.view_standardplan", sample=PLAN, denied="worker"),
    "standards:plan_update": Route(
        "standards.change_standardplan", sample=PLAN, denied="department_head"
    ),
    "standards:plan_delete": Route(
        "standards.delete_standardplan", sample=PLAN, method="post", denied="leader"
    ),
    "standards:plan_item_create": Route(
        "standards.change_standardplan", sample=PLAN, denied="department_head"
    ),
    "standards:plan_item_update": Route(
        "standards.change_standardplan", sample=ITEM, denied="department_head"
    ),
    "standards:plan_item_delete": Route(
        "standards.delete_standardplan", sample=ITEM, method="post", denied="leader"
    ),
}
