"""Attachments on any business row: the type is checked by content (never by name), images are
re-encoded without metadata and get a thumbnail, and every add and delete is written to the
change log of the row the file belongs to. Files are served only by the views in
``attachment_views``, which check who may see the attachment and its row."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse
from PIL import Image, ImageOps

from houqin.common.changelog import changelog_record
from houqin.common.lists import url_for_pk
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.common.statements import Ids, Rows

MAX_PIXELS = 40_000_000
THUMB_SIZE = 320
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_EXPANDED = 1 << 30  # bytes a zip may claim to expand to (a zip bomb claims more)
MAX_CONTENT_TYPES_XML = 1 << 20

TYPE_REFUSED = "文件类型不支持：只能上传图片、PDF 或 Office 文件。"
IMAGE_UNREADABLE = "图片无法识别：文件可能已损坏，或者不是它所声称的格式。"
OFFICE_UNREADABLE = "Office 文件无法识别：文件可能已损坏，或者含有不允许的内容（如宏）。"
TOO_MANY_PIXELS = f"图片太大：不能超过 {MAX_PIXELS // 1_000_000} 百万像素，请缩小后再上传。"

# What the file input offers; the server never relies on it.
ACCEPT = (
    "image/jpeg,image/png,image/webp,image/gif,application/pdf,"
    ".jpg,.jpeg,.png,.webp,.gif,.pdf,.doc,.docx,.xls,.xlsx,.pptx"
)

# filetype's MIME → (Pillow format, stored extension)
IMAGE_TYPES = {
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
    "image/webp": ("WEBP", ".webp"),
    "image/gif": ("GIF", ".gif"),
}
# main part content type in [Content_Types].xml → (stored extension, MIME)
OOXML_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# stream name in the OLE2 directory (UTF-16LE) → (stored extension, MIME)
OLE2_TYPES = (
    ("WordDocument".encode("utf-16-le"), (".doc", "application/msword")),
    ("Workbook".encode("utf-16-le"), (".xls", "application/vnd.ms-excel")),
    ("Book".encode("utf-16-le"), (".xls", "application/vnd.ms-excel")),
)
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Checked:
    """What the content of an upload turned out to be."""

    kind: str
    mime: str
    extension: str
    pillow_format: str = ""


@dataclass(frozen=True)
class AttachmentSet:
    """The attachments of one row for its detail page, with the upload address."""

    items: list[Attachment]
    upload_url: str
    dom_id: str
    accept: str = ACCEPT

    @property
    def max_mb(self) -> int:
        return int(settings.HOUQIN_UPLOAD_MAX_MB)

    @property
    def images(self) -> list[Attachment]:
        return [a for a in self.items if a.kind == Attachment.Kind.IMAGE]

    @property
    def files(self) -> list[Attachment]:
        return [a for a in self.items if a.kind != Attachment.Kind.IMAGE]

    def __iter__(self) -> Iterator[Attachment]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def upload_max_bytes() -> int:
    return int(settings.HOUQIN_UPLOAD_MAX_MB) * 1024 * 1024


def upload_url(obj: models.Model) -> str:
    """Where the attachment form of obj posts to."""
    meta = obj._meta
    return reverse("common:attachment_upload", args=[meta.app_label, meta.model_name, str(obj.pk)])


def attachments_for(obj: models.Model) -> AttachmentSet:
    """The attachments of obj, oldest first, in one query (with their URLs prepared)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    items = list(
        Attachment.objects.filter(content_type=content_type, object_id=str(obj.pk)).only(
            "id",
            "original_name",
            "size",
            "kind",
            "thumbnail",
            "caption",
            "created_at",
            "content_type_mime",
        )
    )
    for item in items:
        item.download_url = url_for_pk("common:attachment_download", item.pk)  # type: ignore[attr-defined]
        item.thumb_url = url_for_pk("common:attachment_thumb", item.pk)  # type: ignore[attr-defined]
        item.delete_url = url_for_pk("common:attachment_delete", item.pk)  # type: ignore[attr-defined]
    return AttachmentSet(
        items=items, upload_url=upload_url(obj), dom_id=f"{obj._meta.model_name}-{obj.pk}"
    )


_LISTED = {"id", "original_name", "size", "kind", "thumbnail", "caption", "created_at"}
# what attachments_for loads, in the model's order (the order from_db expects)
_LISTED_FIELDS = tuple(
    field.attname
    for field in Attachment._meta.concrete_fields
    if field.attname in _LISTED | {"content_type_mime"}
)


def _attachment_rows(ids: Ids) -> QuerySet[Attachment, tuple[Any, ...]]:
    # object_id holds the key as text: cast in SQL, so that the key stays a parameter
    object_id = Cast(Value(ids.many[1]), output_field=models.CharField())
    rows = Attachment.objects.filter(content_type_id=ids.many[0], object_id=object_id)
    return rows.values_list(*_LISTED_FIELDS)


_ATTACHMENTS = Rows(_attachment_rows)


def attachments_for_compiled(obj: models.Model) -> AttachmentSet:
    """``attachments_for`` read by a statement compiled once (for the pages people open
    most); a row whose key is not an integer is read as ``attachments_for`` reads it."""
    if type(obj.pk) is not int:
        return attachments_for(obj)
    content_type = ContentType.objects.get_for_model(type(obj))
    rows = _ATTACHMENTS.run(ids=Ids(many=(content_type.pk, obj.pk)))
    items = [Attachment.from_db(DEFAULT_DB_ALIAS, _LISTED_FIELDS, row) for row in rows]
    for item in items:
        item.download_url = url_for_pk("common:attachment_download", item.pk)  # type: ignore[attr-defined]
        item.thumb_url = url_for_pk("common:attachment_thumb", item.pk)  # type: ignore[attr-defined]
        item.delete_url = url_for_pk("common:attachment_delete", item.pk)  # type: ignore[attr-defined]
    return AttachmentSet(
        items=items, upload_url=upload_url(obj), dom_id=f"{obj._meta.model_name}-{obj.pk}"
    )


def attachment_can_change(user: Any, obj: models.Model) -> bool:
    """Whether user may add or delete attachments of obj (already found through
    ``for_user(user, "change")``): a model may demand a permission with
    ``attachment_permission = "app.codename"``; otherwise anyone who may change the row may."""
    permission = getattr(type(obj), "attachment_permission", "")
    return not permission or bool(user.has_perm(permission))


def parent_visible(attachment: Attachment, user: Any, action: str) -> models.Model | None:
    """The row an attachment belongs to, if user may reach it for action (through its model's
    ``for_user`` when it has one); None otherwise."""
    model = attachment.content_type.model_class()
    if model is None:
        return None
    manager = getattr(model, "objects", model._default_manager)
    rows = manager.for_user(user, action) if hasattr(manager, "for_user") else manager.all()
    try:
        return rows.filter(pk=attachment.object_id).first()
    except (ValueError, ValidationError):
        return None


def _read_all(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_ooxml(upload: IO[bytes]) -> Checked:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ValidationError(OFFICE_UNREADABLE)
            if sum(m.file_size for m in members) > MAX_ZIP_EXPANDED:
                raise ValidationError(OFFICE_UNREADABLE)
            entry = next((m for m in members if m.filename == "[Content_Types].xml"), None)
            if entry is None or entry.file_size > MAX_CONTENT_TYPES_XML:
                raise ValidationError(TYPE_REFUSED)
            with archive.open(entry) as handle:
                content_types = handle.read(MAX_CONTENT_TYPES_XML + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,  # zipfile's answer to a compression method it cannot read
        RuntimeError,
        zlib.error,
    ) as error:
        raise ValidationError(OFFICE_UNREADABLE) from error
    found = [value for marker, value in OOXML_TYPES.items() if marker in content_types]
    if len(found) != 1:
        raise ValidationError(TYPE_REFUSED)
    extension, mime = found[0]
    return Checked(kind=Attachment.Kind.OFFICE, mime=mime, extension=extension)


def _check_ole2(data: bytes) -> Checked:
    for stream, (extension, mime) in OLE2_TYPES:
        if stream in data:
            return Checked(kind=Attachment.Kind.OFFICE, mime=mime, extension=extension)
    raise ValidationError(TYPE_REFUSED)


def attachment_check_type(upload: IO[bytes]) -> Checked:
    """What the upload is, judged by its bytes: an image (JPEG, PNG, WebP, GIF), a PDF, an
    Office Open XML file (a zip with ``[Content_Types].xml`` naming a Word, Excel or
    PowerPoint main part) or a legacy Word/Excel file (OLE2). Anything else is refused."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(OLE2_MAGIC):
        return _check_ole2(_read_all(upload))
    if head.startswith(ZIP_MAGIC):
        return _check_ooxml(upload)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed is not None else ""
    if mime in IMAGE_TYPES:
        pillow_format, extension = IMAGE_TYPES[mime]
        return Checked(Attachment.Kind.IMAGE, mime, extension, pillow_format)
    if mime == "application/pdf":
        return Checked(Attachment.Kind.PDF, mime, ".pdf")
    raise ValidationError(TYPE_REFUSED)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: for JPEG output (thumbnails, photos with transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, checked: Checked) -> bytes:
    """The image encoded again in its own format, carrying no metadata but the colour profile
    (no EXIF, XMP or comments: GPS positions and camera details are gone)."""
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    image.info = {}
    params: dict[str, Any] = {}
    if icc_profile:
        params["icc_profile"] = icc_profile
    if checked.pillow_format == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = _flatten(image)
        params.update(quality=85, optimize=True)
    elif checked.pillow_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.mode in ("LA", "P", "PA") else "RGB")
        params.update(quality=85)
    elif transparency is not None:
        params["transparency"] = transparency
    out = io.BytesIO()
    image.save(out, format=checked.pillow_format, **params)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most 320 px wide and high, resized without copying the full-size image."""
    width, height = image.size
    scale = min(1.0, THUMB_SIZE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    source = image if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGBA")
    small = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    _flatten(small).save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()


def attachment_process_image(upload: IO[bytes], checked: Checked) -> tuple[bytes, bytes]:
    """Decode the image (only in its detected format, at most ``MAX_PIXELS``; Pillow's own
    ``Image.MAX_IMAGE_PIXELS`` bomb check fires first for far larger claims), turn it upright by
    its EXIF orientation, and return it re-encoded without metadata and a 320 px JPEG
    thumbnail. Animated images keep their first frame."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=[checked.pillow_format]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            thumbnail = _thumbnail(image)
            return _encode(image, checked), thumbnail
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(TOO_MANY_PIXELS) from error
    except Exception as error:  # anything a malformed file makes the decoder raise
        raise ValidationError(IMAGE_UNREADABLE) from error


def _check_size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        size = len(_read_all(upload))
    if size == 0:
        raise ValidationError("文件是空的，请重新选择。")
    if size > upload_max_bytes():
        raise ValidationError(f"文件太大：不能超过 {settings.HOUQIN_UPLOAD_MAX_MB} MB。")
    return int(size)


def _delete_after_commit(storage: Storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _original_name(upload: Any) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "未命名文件"


@transaction.atomic
def attachment_add(*, obj: models.Model, upload: Any, actor: Any, caption: str = "") -> Attachment:
    """给任意业务对象添加附件：按文件内容（不按文件名）判断类型，只收图片、PDF 和 Office
    文件；大小不超过 HOUQIN_UPLOAD_MAX_MB；图片按 EXIF 方向摆正后重新编码（去掉 EXIF/GPS
    等全部元数据）并生成 320 像素缩略图；文件以随机名保存。在对象的变更日志中记一条“附件”。"""
    size = _check_size(upload)
    checked = attachment_check_type(upload)
    original_name = _original_name(upload)
    thumb_bytes = None
    if checked.kind == Attachment.Kind.IMAGE:
        content, thumb_bytes = attachment_process_image(upload, checked)
        size = len(content)
        stored: File = ContentFile(content)
    else:
        upload.seek(0)
        stored = upload if isinstance(upload, File) else File(upload)
    organization_id = getattr(obj, "organization_id", None) or actor.organization_id
    attachment = Attachment(
        organization_id=organization_id,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        original_name=original_name,
        content_type_mime=checked.mime,
        size=size,
        kind=checked.kind,
        uploaded_by=actor,
        caption=caption.strip()[:200],
    )
    attachment.file.save(f"upload{checked.extension}", stored, save=False)
    saved = [str(attachment.file.name)]
    try:
        if thumb_bytes is not None:
            attachment.thumbnail.save("thumb.jpg", ContentFile(thumb_bytes), save=False)
            saved.append(str(attachment.thumbnail.name))
        attachment.save()
        changelog_record(
            obj=obj,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"附件": [None, original_name]},
        )
    except BaseException:
        for name in saved:
            attachment.file.storage.delete(name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: Any) -> None:
    """删除附件：记入所属对象的变更日志（对象已不存在时记在附件本身）；文件在事务提交后才从
    存储中删除。"""
    parent = attachment.parent
    names = [name for name in (attachment.file.name, attachment.thumbnail.name) if name]
    storage = attachment.file.storage
    if parent is not None:
        changelog_record(
            obj=parent,
            action=ChangeLogEntry.Action.UPDATE,
            actor=actor,
            changes={"附件": [attachment.original_name, None]},
        )
    else:
        changelog_record(
            obj=attachment,
            action=ChangeLogEntry.Action.DELETE,
            actor=actor,
            changes={"附件": [attachment.original_name, None]},
        )
    deleted, _ = Attachment.objects.filter(pk=attachment.pk).delete()
    if not deleted:
        raise ValidationError("附件已被他人删除，请刷新页面。")
    _delete_after_commit(storage, names)
