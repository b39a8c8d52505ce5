"""Fixtures of the appraisal tests: the departments, a vendor contract and a template the
scores read, and uploaded files kept in a temporary folder."""

from __future__ import annotations

from typing import Any

import pytest

from tests.appraisal.builders import contract_make, department_make, template_make


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def departments(org_a: Any, department: Any) -> list[Any]:
    """物业管理科 (the department of the department head) and 餐饮服务科, 会议服务科."""
    return [
        department,
        department_make(org_a, "CY", "餐饮服务科"),
        department_make(org_a, "HY", "会议服务科"),
    ]


@pytest.fixture
def contract(org_a: Any) -> Any:
    return contract_make(org_a, "V1", "洁美物业公司")


@pytest.fixture
def sheet(org_a: Any) -> Any:
    return template_make(org_a)
