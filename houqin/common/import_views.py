"""Excel import pages: the columns explained, the template, upload → dry run → confirm →
apply. The upload waits in VAR_DIR/tmp/imports under a random name that only the uploader's
session knows, and is removed after the import or after an hour.

Include with ``path("import/", include((import_urlpatterns, "imports")))``."""

from __future__ import annotations

import re
import secrets
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from houqin.common.exports import XLSX_TYPE
from houqin.common.forms import StyledForm
from houqin.common.imports import (
    ImportResult,
    ImportSpec,
    column_help,
    import_run,
    import_spec_get,
    import_specs,
    template_workbook,
)

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UNPACKED_MAX_BYTES = 300 * 1024 * 1024  # a 10 MB zip must not unpack into gigabytes
UPLOAD_TTL_SECONDS = 3600
SESSION_KEY = "houqin_imports"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "tmp" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_xlsx(upload: Any) -> bool:
    """An Office Open XML workbook: a zip archive with xl/workbook.xml (checked by content,
    never by the file name) that does not unpack into more than UNPACKED_MAX_BYTES."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            found = any(m.filename == "xl/workbook.xml" for m in members)
            found = found and sum(m.file_size for m in members) <= UNPACKED_MAX_BYTES
    except (zipfile.BadZipFile, OSError, ValueError):
        found = False
    upload.seek(0)
    return found


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label="Excel 文件",
        help_text="用下载的模板填写，10 MB 以内的 .xlsx 文件。",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "文件是空的。"},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > UPLOAD_MAX_BYTES:
            raise ValidationError("文件超过 10 MB，请拆分成几个文件分批导入。")
        if not is_xlsx(upload):
            raise ValidationError(
                "这不是 Excel 工作簿（.xlsx）文件。请在 Excel 或 WPS 中“另存为”"
                "Excel 工作簿（.xlsx）后再上传。"
            )
        return upload


def _sweep() -> None:
    """Remove uploads older than an hour (whoever left them)."""
    limit = time.time() - UPLOAD_TTL_SECONDS
    for stale in upload_dir().glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink()
        except OSError:
            continue


def _forget(request: HttpRequest, kind: str) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    stored = uploads.pop(kind, None)
    if stored and _TOKEN.fullmatch(stored.get("token", "")):
        (upload_dir() / f"{stored['token']}.xlsx").unlink(missing_ok=True)
    request.session[SESSION_KEY] = uploads


def _store(request: HttpRequest, kind: str, upload: UploadedFile) -> tuple[str, Path]:
    _sweep()
    _forget(request, kind)
    token = secrets.token_urlsafe(24)
    target = upload_dir() / f"{token}.xlsx"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads[kind] = {"token": token, "name": (upload.name or "")[:200], "at": time.time()}
    request.session[SESSION_KEY] = uploads
    return token, target


def _stored(request: HttpRequest, kind: str, token: str) -> tuple[Path, str] | None:
    """The session's upload for this kind when the token is the one on the confirm page and
    the file is less than an hour old."""
    stored = request.session.get(SESSION_KEY, {}).get(kind)
    if not stored or not _TOKEN.fullmatch(token) or stored.get("token") != token:
        return None
    target = upload_dir() / f"{token}.xlsx"
    if time.time() - float(stored.get("at", 0)) > UPLOAD_TTL_SECONDS or not target.is_file():
        _forget(request, kind)
        return None
    return target, stored.get("name", "")


def _spec_for(request: HttpRequest, kind: str) -> ImportSpec:
    spec = import_spec_get(kind)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    if getattr(request.user, "organization_id", None) is None:
        raise PermissionDenied
    return spec


def _render(
    request: HttpRequest,
    spec: ImportSpec,
    form: ImportUploadForm,
    result: ImportResult | None = None,
    token: str = "",
    file_name: str = "",
    expired: bool = False,
) -> HttpResponse:
    context = {
        "spec": spec,
        "columns": [
            {"header": c.header, "required": c.required, "text": column_help(c)}
            for c in spec.columns
        ],
        "form": form,
        "result": result,
        "token": token,
        "file_name": file_name,
        "expired": expired,
        "nothing_to_do": result is not None
        and result.ok
        and not result.applied
        and not (result.created or result.updated),
    }
    fragment = getattr(request, "htmx", False)
    template = "common/_import_panel.html" if fragment else "common/import_start.html"
    return render(request, template, context)


@login_required
def import_index_view(request: HttpRequest) -> HttpResponse:
    specs = [s for s in import_specs().values() if request.user.has_perm(s.permission)]
    if not specs:
        raise PermissionDenied
    return render(request, "common/import_index.html", {"specs": specs})


@login_required
@require_http_methods(["GET", "POST"])
def import_start_view(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: the columns, the template and the upload form. POST: store the upload and show
    the dry run (every bad row, or what the import will do and a confirm button)."""
    spec = _spec_for(request, kind)
    if request.method != "POST":
        return _render(request, spec, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, spec, form)
    upload: UploadedFile = form.cleaned_data["file"]
    token, target = _store(request, kind, upload)
    result = import_run(
        spec=spec,
        organization=request.user.organization,  # type: ignore[union-attr]
        file=target,
        actor=request.user,
        dry_run=True,
    )
    if not result.ok or not (result.created or result.updated):
        _forget(request, kind)
        token = ""
    return _render(
        request, spec, ImportUploadForm(), result, token=token, file_name=upload.name or ""
    )


@require_POST
@login_required
def import_apply_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Import the upload the dry run checked (checked again: nothing is written unless every
    row is still valid), then remove it."""
    spec = _spec_for(request, kind)
    _sweep()
    stored = _stored(request, kind, request.POST.get("token", ""))
    if stored is None:
        return _render(request, spec, ImportUploadForm(), expired=True)
    target, name = stored
    try:
        result = import_run(
            spec=spec,
            organization=request.user.organization,  # type: ignore[union-attr]
            file=target,
            actor=request.user,
            dry_run=False,
        )
    finally:
        _forget(request, kind)
    return _render(request, spec, ImportUploadForm(), result, file_name=name)


@login_required
def import_template_view(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _spec_for(request, kind)
    response = HttpResponse(template_workbook(spec), content_type=XLSX_TYPE)
    filename = f"{spec.title}导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


import_urlpatterns = [
    path("", import_index_view, name="import_index"),
    path("<slug:kind>/", import_start_view, name="import_start"),
    path("<slug:kind>/apply/", import_apply_view, name="import_apply"),
    path("<slug:kind>/template/", import_template_view, name="import_template"),
]
