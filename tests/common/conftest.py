"""Shared machinery tests: the common routes are reachable and uploads go to a temporary
folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _common_setup(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.ROOT_URLCONF = "tests.common.urls"  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.HOUQIN_UPLOAD_MAX_MB = 20  # type: ignore[attr-defined]
