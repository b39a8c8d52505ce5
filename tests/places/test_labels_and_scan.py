"""QR labels as a PDF, and the scan entry /q/<token>."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from houqin.accounts.models import AuditEvent
from houqin.places import services
from houqin.places.views import label_views
from tests.conftest import signed_in
from tests.places.conftest import fresh, make_equipment, make_place

pytestmark = pytest.mark.django_db


PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
PDFINFO = shutil.which("pdfinfo") or "pdfinfo"


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([PDFINFO, str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[-1]
    )


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@needs_poppler
def test_it_prints_a_grid_of_labels_on_a_pages(manager, org_a, tree, tmp_path) -> None:
    for index in range(14):
        make_place(org_a, tree["floor"], "point", f"A-01-3F-P{index:02}", f"消防点位{index:02}")
    make_equipment(tree["room"], "DT-01", name="1号客梯")
    make_equipment(tree["room"], "DT-02", name="停用客梯")
    services.equipment_status_change(
        equipment=make_equipment(tree["room"], "DT-03", name="旧客梯"),
        name="retire",
        actor=manager,
        note="报废",
    )
    response = signed_in(manager).post(
        reverse("places:labels"),
        {"within": tree["building"].pk, "kinds": ["point"], "types": ["elevator"]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E4%BA%8C%E7%BB%B4%E7%A0%81%E6%A0%87%E7%AD%BE.pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    labels = 15 + 2  # 14 new points and the one under room 301, two elevators in service
    assert pdf_pages(pdf, tmp_path) == math.ceil(labels / label_views.PER_PAGE) == 2
    text = pdf_text(pdf, tmp_path)
    assert "消防点位00" in text and "饮水机点位" in text and "1号客梯" in text
    assert "旧客梯" not in text and "机关大院" not in text.replace("机关大院 / ", "")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, actor=manager)
    assert event.detail["what"] == "qr_labels" and event.detail["rows"] == labels


def test_it_points_each_label_at_the_scan_address(manager, tree, monkeypatch) -> None:
    urls: list[str] = []
    real = label_views.labels_pdf

    def spy(labels, *, url_for_token):
        urls.extend(url_for_token(label.token) for label in labels)
        return real(labels, url_for_token=url_for_token)

    monkeypatch.setattr(label_views, "labels_pdf", spy)
    signed_in(manager).post(reverse("places:labels"), {"kinds": ["room", "point"]})
    assert urls == [
        f"http://testserver/q/{fresh(tree['room']).qr_token}",
        f"http://testserver/q/{fresh(tree['point']).qr_token}",
    ]


def test_it_refuses_an_empty_or_too_large_selection(manager, tree, monkeypatch) -> None:
    client = signed_in(manager)
    page = client.post(reverse("places:labels"), {"kinds": [], "types": []}).content.decode()
    assert "请至少选择一种场所类型或设备类型" in page
    page = client.post(reverse("places:labels"), {"types": ["pump"]}).content.decode()
    assert "所选范围内没有符合条件的场所或设备" in page
    monkeypatch.setattr(label_views, "MAX_LABELS", 5)
    page = client.post(
        reverse("places:labels"), {"kinds": ["campus", "building", "floor", "room", "point"]}
    ).content.decode()
    assert "所选范围共 6 个标签，一次最多打印 5 个" in page


def test_it_offers_a_point_as_the_range_when_asked(manager, tree) -> None:
    page = (
        signed_in(manager)
        .get(reverse("places:labels"), {"within": tree["point"].pk})
        .content.decode()
    )
    assert f'<option value="{tree["point"].pk}" selected>' in page


def test_it_opens_the_place_or_equipment_of_a_scanned_label(manager, tree) -> None:
    client = signed_in(manager)
    room = fresh(tree["room"])
    response = client.get(f"/q/{room.qr_token}")
    assert response.status_code == 302
    assert response["Location"] == reverse("places:place_detail", args=[room.pk])
    assert client.get(f"/q/{room.qr_token}/")["Location"] == response["Location"]
    item = make_equipment(room, "DT-01")
    response = client.get(reverse("places:scan", args=[item.qr_token]))
    assert response["Location"] == reverse("places:equipment_detail", args=[item.pk])


def test_it_sends_a_signed_out_scanner_to_sign_in_first(tree) -> None:
    token = fresh(tree["room"]).qr_token
    response = Client().get(f"/q/{token}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/q/{token}"


def test_it_explains_an_unknown_or_regenerated_label(
    manager, outsider_manager, tree, org_b
) -> None:
    client = signed_in(manager)
    room = fresh(tree["room"])
    old = room.qr_token
    services.qr_token_regenerate(obj=room, actor=manager)
    foreign = make_place(org_b, None, "campus", "B")
    for token in (old, "not-a-token", "x" * 500, foreign.qr_token, "%E4%BA%8C"):
        response = client.get(f"/q/{token}")
        assert response.status_code == 404
        assert (
            "二维码无效或已作废：这个标签可能已重新生成，请联系管理员更换标签。"
            in response.content.decode()
        )
    assert signed_in(outsider_manager).get(f"/q/{fresh(room).qr_token}").status_code == 404
