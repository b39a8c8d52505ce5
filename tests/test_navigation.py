"""The left navigation: the standards section by role, one current item per page."""

from __future__ import annotations

import pytest

from houqin.common.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(user, path: str = "/") -> dict[str, list[str]]:
    return {s["label"]: [i["label"] for i in s["items"]] for s in navigation_for(user, path)}


def current(user, path: str) -> list[str]:
    return [i["label"] for s in navigation_for(user, path) for i in s["items"] if i["active"]]


def test_the_standards_section_follows_the_role(standards_officer, worker, system_admin) -> None:
    assert labels(standards_officer)["标准"] == [
        "标准库",
        "标准检索",
        "标准体系",
        "覆盖情况",
        "制修订计划",
        "阅读标准",
        "我的阅读确认",
        "起草规则",
        "标准化提醒",
        "标准化设置",
    ]
    assert labels(worker)["标准"] == ["标准库", "标准检索", "阅读标准", "我的阅读确认"]
    assert "标准" not in labels(system_admin)


def test_only_the_closest_item_is_current(standards_officer) -> None:
    assert current(standards_officer, "/standards/system/nodes/3/") == ["标准体系"]
    assert current(standards_officer, "/standards/12/") == ["标准库"]
    assert current(standards_officer, "/") == ["首页"]
