"""Attachments in a real browser, at 1280 px and at 375 px: a phone photo carrying a GPS position
is uploaded on a department's page, its thumbnail shows, and the original served back has no
EXIF left."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from houqin.accounts.models import User
from houqin.org.models import Department
from tests.e2e.browser import sign_in_as

GPS_INFO = 34853  # 0x8825, the EXIF pointer to the GPS block


def photo_with_gps(path: Path) -> Path:
    """A 640×480 JPEG whose EXIF holds a camera make and a GPS position."""
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    image.paste((240, 200, 40), (0, 0, 320, 480))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_INFO)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 17.0)
    image.save(path, "JPEG", exif=exif, quality=90)
    with Image.open(path) as check:
        assert check.getexif().get_ifd(GPS_INFO), "the test photo should carry a GPS block"
    return path


@pytest.fixture(params=["phone_page", "page"])
def screen(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue(request.param)


def test_it_uploads_a_photo_and_serves_it_without_exif(
    screen: Page,
    leader: User,
    department: Department,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    page = screen
    photo = photo_with_gps(tmp_path / "现场照片.jpg")
    sign_in_as(page, leader, live_server)
    page.goto(f"/org/departments/{department.pk}/")
    attachments = page.locator(f"#attachments-department-{department.pk}")
    expect(attachments).to_contain_text("还没有附件。")

    chooser = attachments.get_by_label("选择文件", exact=True)
    expect(chooser).to_be_visible()
    chooser.set_input_files(str(photo))
    attachments.get_by_role("button", name="上传").click()

    expect(page.get_by_role("status").filter(has_text="已上传附件：现场照片.jpg。")).to_be_visible()
    thumb = attachments.locator("[data-testid=attachment-images] img")
    expect(thumb).to_have_count(1)
    thumb.scroll_into_view_if_needed()
    expect(thumb).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 240]

    link = attachments.locator("[data-testid=attachment-images] a").first
    expect(link).to_have_attribute("title", "现场照片.jpg")
    href = link.get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "image/jpeg"
    with Image.open(BytesIO(response.body())) as original:
        assert original.size == (640, 480)
        exif = original.getexif()
        assert GPS_INFO not in exif
        assert not exif.get_ifd(GPS_INFO)
        assert not exif, f"EXIF left in the served original: {dict(exif)}"
