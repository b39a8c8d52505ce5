"""Attachment endpoints: upload, download, thumbnail, delete. Each one finds the attachment
through ``Attachment.objects.for_user`` and its row through the row model's ``for_user``;
whatever the person may not see is a 404. Files are never served from a public URL."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from houqin.common.attachments import (
    attachment_add,
    attachment_can_change,
    attachment_delete,
    parent_visible,
)
from houqin.common.models import Attachment

MAX_FILES_PER_REQUEST = 10
FILE_CSP = "default-src 'none'; sandbox"
EXTENSION_ALIASES = {".jpg": {".jpg", ".jpeg", ".jfif"}}


def _parent_for_change(user: Any, app_label: str, model_name: str, object_id: str) -> Any:
    """The row to attach to, found through its model's ``for_user(user, "change")``."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    manager = getattr(model, "objects", None)
    if manager is None or not hasattr(manager, "for_user"):
        raise Http404
    try:
        parent = manager.for_user(user, "change").filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404 from error
    if parent is None:
        raise Http404
    if not attachment_can_change(user, parent):
        raise PermissionDenied
    return parent


def _attachment_for(user: Any, pk: int, action: str) -> tuple[Attachment, models.Model]:
    attachment = (
        Attachment.objects.for_user(user, action)
        .select_related("content_type")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    parent = parent_visible(attachment, user, action)
    if parent is None:
        raise Http404
    return attachment, parent


def _back(request: HttpRequest, parent: Any) -> str:
    """Where to go after a change: ``next`` if it is a path of this site, else the row's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    get_absolute_url = getattr(parent, "get_absolute_url", None)
    return str(get_absolute_url()) if callable(get_absolute_url) else reverse("home")


def download_name(attachment: Attachment) -> str:
    """The uploader's file name, with the extension of what the file really is (a PDF named
    ``a.html`` is offered as ``a.pdf``)."""
    original = PurePosixPath(attachment.original_name)
    real = PurePosixPath(attachment.file.name or "").suffix.lower()
    if original.suffix.lower() in EXTENSION_ALIASES.get(real, {real}):
        return attachment.original_name
    return f"{original.stem or '附件'}{real}"


def _file_response(response: FileResponse, cache: str) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = FILE_CSP
    return response


@require_POST
@login_required
def attachment_upload_view(
    request: HttpRequest, app_label: str, model: str, object_id: str
) -> HttpResponse:
    parent = _parent_for_change(request.user, app_label, model, object_id)
    uploads = request.FILES.getlist("file")
    caption = request.POST.get("caption", "")
    if not uploads:
        messages.error(request, "请选择要上传的文件。")
    elif len(uploads) > MAX_FILES_PER_REQUEST:
        messages.error(request, f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件。")
        uploads = []
    added: list[str] = []
    for upload in uploads:
        try:
            attachment = attachment_add(
                obj=parent, upload=upload, actor=request.user, caption=caption
            )
        except ValidationError as error:
            messages.error(request, f"“{upload.name}”未上传：{'；'.join(error.messages)}")
        else:
            added.append(attachment.original_name)
    if added:
        messages.success(request, f"已上传附件：{'、'.join(added)}。")
    return redirect(_back(request, parent))


@require_GET
@login_required
def attachment_download_view(request: HttpRequest, pk: int) -> FileResponse:
    attachment, _ = _attachment_for(request.user, pk, "view")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=attachment.kind != Attachment.Kind.IMAGE,
        filename=download_name(attachment),
        content_type=attachment.content_type_mime,
    )
    return _file_response(response, "private")


@require_GET
@login_required
def attachment_thumb_view(request: HttpRequest, pk: int) -> FileResponse:
    attachment, _ = _attachment_for(request.user, pk, "view")
    if not attachment.thumbnail:
        raise Http404
    try:
        handle = attachment.thumbnail.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    return _file_response(response, "private, max-age=3600")


@require_POST
@login_required
def attachment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, parent = _attachment_for(request.user, pk, "change")
    if not attachment_can_change(request.user, parent):
        raise PermissionDenied
    attachment.parent = parent
    try:
        attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect(_back(request, parent))
