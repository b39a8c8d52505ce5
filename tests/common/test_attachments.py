"""Attachments: content-checked uploads, clean images, permission-checked downloads."""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from houqin.common.attachments import (
    TOO_MANY_PIXELS,
    TYPE_REFUSED,
    attachment_add,
    attachment_delete,
    attachments_for,
)
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.org.models import Department
from tests.conftest import signed_in
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(orientation: int = 6) -> bytes:
    """40×20: red left half, blue right half; EXIF says "rotate 90° clockwise" and has GPS."""
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 17.0)
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def png(size: tuple[int, int] = (800, 600), mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def ooxml(main_type: str, main_part: str = "word/document.xml") -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
    return out.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def xlsx() -> bytes:
    out = BytesIO()
    book = Workbook()
    book.active["A1"] = "巡检记录"
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def department_b(org_b):
    return DepartmentFactory(organization=org_b, code="B1", name="乙科室")


def add(obj, worker, name: str, data: bytes, caption: str = "") -> Attachment:
    return attachment_add(obj=obj, upload=upload(name, data), actor=worker, caption=caption)


def refused(obj, worker, name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        add(obj, worker, name, data)
    assert not Attachment.objects.exists()
    return " ".join(error.value.messages)


def test_it_strips_gps_exif_and_turns_the_photo_upright(department, worker) -> None:
    original = jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)
    attachment = add(department, worker, "IMG_0001.JPG", original)
    assert attachment.kind == Attachment.Kind.IMAGE
    assert attachment.content_type_mime == "image/jpeg"
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    image = Image.open(BytesIO(stored))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"Exif" not in stored[:200] and b"PhoneMaker" not in stored
    assert image.size == (20, 40)  # rotated upright
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60  # the red half is now on top
    assert bottom[2] > 200 and bottom[0] < 60
    assert attachment.size == len(stored)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_it_strips_exif_from_png_and_webp_too(department, worker, image_format) -> None:
    with Image.open(BytesIO(jpeg_with_gps(orientation=1))) as photo:
        exif = photo.getexif()
        out = BytesIO()
        photo.save(out, image_format, exif=exif)
    assert Image.open(BytesIO(out.getvalue())).getexif().get_ifd(GPS_IFD)
    attachment = add(department, worker, f"a.{image_format.lower()}", out.getvalue())
    with attachment.file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == image_format
        assert len(stored.getexif()) == 0 and "exif" not in stored.info


def test_it_names_stored_files_randomly(department, worker) -> None:
    attachment = add(department, worker, "../../我的 照片.png", png((10, 10)))
    name = attachment.file.name
    assert name.startswith("attachments/") and name.endswith(".png")
    assert "照片" not in name and ".." not in name
    assert attachment.original_name == "我的 照片.png"


def test_it_makes_a_png_thumbnail(department, worker) -> None:
    attachment = add(department, worker, "plan.png", png((800, 600), "RGBA"))
    assert attachment.thumbnail
    with attachment.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 320
    with attachment.file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "PNG"


def test_it_accepts_a_pdf(department, worker) -> None:
    attachment = add(department, worker, "方案.pdf", PDF)
    assert (attachment.kind, attachment.content_type_mime) == ("pdf", "application/pdf")
    assert not attachment.thumbnail
    assert attachment.file.name.endswith(".pdf")


def test_it_accepts_office_files_by_their_content(department, worker) -> None:
    sheet = add(department, worker, "台账.xlsx", xlsx())
    assert sheet.kind == "office" and sheet.file.name.endswith(".xlsx")
    doc = add(department, worker, "通知.bin", ooxml(DOCX_MAIN))
    assert doc.file.name.endswith(".docx")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    legacy = ole2 + "WordDocument".encode("utf-16-le") + bytes(512)
    assert add(department, worker, "旧文件.doc", legacy).content_type_mime == "application/msword"
    legacy = ole2 + "Workbook".encode("utf-16-le") + bytes(512)
    assert add(department, worker, "旧表格", legacy).file.name.endswith(".xls")


def test_it_refuses_html_named_as_a_jpeg(department, worker) -> None:
    message = refused(department, worker, "photo.jpg", b"<html><script>alert(1)</script></html>")
    assert message == TYPE_REFUSED


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("cat.gif", b"GIF89a<script>alert(document.cookie)</script>" + bytes(64)),
        ("cat.jpg", b"\xff\xd8\xff\xe0<html><body onload=alert(1)></body></html>" + bytes(64)),
        ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("report.docx", ooxml("application/vnd.ms-word.document.macroEnabled.main+xml")),
        ("data.xlsx", b"PK\x03\x04" + bytes(100)),
        ("archive.docx", b"PK\x05\x06" + bytes(18)),
        ("setup.msi", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
        ("empty.pdf", b""),
    ],
)
def test_it_refuses_polyglots_executables_and_other_types(department, worker, name, data) -> None:
    message = refused(department, worker, name, data)
    assert "不支持" in message or "无法识别" in message or "空" in message


def test_it_refuses_a_zip_bomb_dressed_as_xlsx(department, worker) -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_MAIN)
        archive.writestr("xl/big.bin", bytes(8 * 1024 * 1024))
    data = bytearray(out.getvalue())
    # claim 2 GB uncompressed for the big member in the central directory
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = struct.pack("<I", 0x7FFFFFFF)
    message = refused(department, worker, "bomb.xlsx", bytes(data))
    assert "无法识别" in message


def test_it_refuses_oversize_files(department, worker, settings) -> None:
    settings.HOUQIN_UPLOAD_MAX_MB = 1
    data = PDF + bytes(1024 * 1024)
    assert refused(department, worker, "big.pdf", data) == "文件太大：不能超过 1 MB。"


@pytest.mark.parametrize("data", [png((8000, 6000), "1"), png_header_only(30000, 30000)])
def test_it_refuses_images_over_40_megapixels(department, worker, data) -> None:
    assert len(data) < 100_000
    assert refused(department, worker, "huge.png", data) == TOO_MANY_PIXELS


def test_it_writes_the_change_log_of_the_parent(department, worker) -> None:
    attachment = add(department, worker, "现场.jpg", jpeg_with_gps())
    entry = ChangeLogEntry.objects.get()
    assert entry.content_type == ContentType.objects.get_for_model(Department)
    assert entry.object_id == str(department.pk)
    assert entry.action == ChangeLogEntry.Action.UPDATE
    assert entry.changes == {"附件": [None, "现场.jpg"]}
    assert entry.actor == worker
    name = attachment.file.name
    storage = attachment.file.storage
    attachment_delete(attachment=attachment, actor=worker)
    assert ChangeLogEntry.objects.latest("id").changes == {"附件": ["现场.jpg", None]}
    assert not Attachment.objects.exists()
    assert storage.exists(name)  # removed only after the commit (the test never commits)


def test_it_lists_a_rows_attachments_in_one_query(
    department, worker, django_assert_num_queries
) -> None:
    add(department, worker, "a.png", png((10, 10)), caption="东门")
    add(department, worker, "b.pdf", PDF)
    ContentType.objects.get_for_model(Department)
    with django_assert_num_queries(1):
        found = attachments_for(department)
    assert [a.original_name for a in found.images] == ["a.png"]
    assert [a.original_name for a in found.files] == ["b.pdf"]
    assert found.upload_url == reverse(
        "common:attachment_upload", args=["org", "department", str(department.pk)]
    )


def test_it_renders_the_include_without_inline_script_or_style(
    department, worker, django_assert_num_queries
) -> None:
    add(department, worker, "a.png", png((10, 10)), caption="东门现场")
    add(department, worker, "b.pdf", PDF)
    request = RequestFactory().get(f"/departments/{department.pk}/")
    request.user = worker
    attachments = attachments_for(department)
    context = {"obj": department, "attachments": attachments, "can_upload": True}
    render_to_string("common/_attachments.html", context, request=request)  # the shell's caches
    with django_assert_num_queries(0):
        html = render_to_string("common/_attachments.html", context, request=request)
    assert 'alt="东门现场"' in html
    assert 'capture="environment"' in html and 'accept="image/jpeg' in html
    assert 'enctype="multipart/form-data"' in html
    assert html.count('data-bs-toggle="modal"') == 2
    assert "style=" not in html and "<script" not in html and " onclick" not in html
    assert "/media/" not in html


def test_it_uploads_through_the_page_and_goes_back(department, worker) -> None:
    client = signed_in(worker)
    url = reverse("common:attachment_upload", args=["org", "department", department.pk])
    response = client.post(
        url,
        {"file": upload("现场.jpg", jpeg_with_gps()), "caption": "东门", "next": "/somewhere/"},
    )
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    attachment = Attachment.objects.get()
    assert (attachment.caption, attachment.organization, attachment.uploaded_by) == (
        "东门",
        department.organization,
        worker,
    )
    response = client.post(
        url, {"file": upload("x.jpg", b"<html></html>"), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("文件类型不支持" in m for m in messages)


def test_it_serves_downloads_with_safe_headers(department, worker) -> None:
    photo = add(department, worker, "现场.jpg", jpeg_with_gps())
    pdf = add(department, worker, "evil.html", PDF)
    client = signed_in(worker)
    response = client.get(reverse("common:attachment_download", args=[photo.pk]))
    b"".join(response.streaming_content)  # consuming closes the file, as the test client should
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    response = client.get(reverse("common:attachment_download", args=[pdf.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["Content-Type"] == "application/pdf"
    thumb = client.get(reverse("common:attachment_thumb", args=[photo.pk]))
    b"".join(thumb.streaming_content)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"].startswith("private")
    assert client.get(reverse("common:attachment_thumb", args=[pdf.pk])).status_code == 404


def test_it_deletes_through_the_page(department, worker) -> None:
    attachment = add(department, worker, "b.pdf", PDF)
    response = signed_in(worker).post(
        reverse("common:attachment_delete", args=[attachment.pk]), {"next": "/back/"}
    )
    assert response["Location"] == "/back/"
    assert not Attachment.objects.exists()


def test_it_needs_sign_in(department, worker) -> None:
    attachment = add(department, worker, "b.pdf", PDF)
    client = Client()
    for method, url in [
        ("get", reverse("common:attachment_download", args=[attachment.pk])),
        ("get", reverse("common:attachment_thumb", args=[attachment.pk])),
        ("post", reverse("common:attachment_delete", args=[attachment.pk])),
        ("post", reverse("common:attachment_upload", args=["org", "department", department.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_gives_the_outsider_404(department, worker, outsider) -> None:
    attachment = add(department, worker, "现场.jpg", jpeg_with_gps())
    client = signed_in(outsider)
    assert (
        client.get(reverse("common:attachment_download", args=[attachment.pk])).status_code == 404
    )
    assert client.get(reverse("common:attachment_thumb", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("common:attachment_delete", args=[attachment.pk])).status_code == 404
    url = reverse("common:attachment_upload", args=["org", "department", department.pk])
    assert client.post(url, {"file": upload("b.pdf", PDF)}).status_code == 404
    assert Attachment.objects.count() == 1


def test_it_hides_another_organizations_files(department_b, outsider, worker) -> None:
    theirs = add(department_b, outsider, "乙.pdf", PDF)
    client = signed_in(worker)
    assert client.get(reverse("common:attachment_download", args=[theirs.pk])).status_code == 404
    url = reverse("common:attachment_upload", args=["org", "department", department_b.pk])
    assert client.post(url, {"file": upload("b.pdf", PDF)}).status_code == 404


def test_it_checks_the_parent_row_as_well(department_b, worker) -> None:
    # an attachment row of organization A that points at organization B's department
    stray = add(department_b, worker, "a.pdf", PDF)
    Attachment.objects.filter(pk=stray.pk).update(organization=worker.organization)
    client = signed_in(worker)
    assert client.get(reverse("common:attachment_download", args=[stray.pk])).status_code == 404


def test_it_refuses_models_without_scoping_and_unknown_rows(worker) -> None:
    client = signed_in(worker)
    for args in (
        ["accounts", "user", worker.pk],
        ["org", "department", "999999"],
        ["org", "department", "not-a-number"],
        ["nope", "nothing", "1"],
    ):
        url = reverse("common:attachment_upload", args=args)
        assert client.post(url, {"file": upload("b.pdf", PDF)}).status_code == 404


def test_it_asks_for_the_models_attachment_permission(department, worker, monkeypatch) -> None:
    monkeypatch.setattr(
        Department, "attachment_permission", "org.no_such_permission", raising=False
    )
    url = reverse("common:attachment_upload", args=["org", "department", department.pk])
    assert signed_in(worker).post(url, {"file": upload("b.pdf", PDF)}).status_code == 403
