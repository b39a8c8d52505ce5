"""Importing a standard's text into a draft: a Word file (.docx), a text file or pasted text
is read by ``importer`` and written into the draft by ``services.drafts.draft_import``;
the person then lands in the editor, whose check panel runs on page load.

A draft that already holds clauses is replaced only when the person ticks the confirmation
box. The page works as a plain form (POST, then a redirect); with htmx the upload shows its
progress (``standards/import.js``) and an error swaps only the form card."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from houqin.common.attachments import upload_max_bytes
from houqin.common.decorators import perm_required
from houqin.common.forms import StyledForm
from houqin.standards.checker.files import read_file
from houqin.standards.importer import Imported, ImportFailed, import_text
from houqin.standards.models import DRAFT, Clause
from houqin.standards.services import can_edit_text, draft_version, drafts
from houqin.standards.views.editor import is_drafter, version_for

# .doc and .pdf reach the importer, which tells the person how to save them as .docx.
FILE_SUFFIXES = (".docx", ".txt", ".doc", ".pdf")
ACCEPT = (
    ".docx,.txt,.doc,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
)
FLAGS_SHOWN = 3
PASTED = "粘贴的文字"
PUBLISHED = "本版本已发布，文本不能修改，也不能导入。要导入新的文本，请在修订草案中导入。"


class DraftImportForm(StyledForm):
    """A file or pasted text (one of them), the draft revision the page was loaded on and,
    when the draft holds clauses, the confirmation that they are replaced."""

    file = forms.FileField(
        label="Word 文档或文本文件",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"empty": "文件是空的（0 字节），请重新选择文件。"},
    )
    text = forms.CharField(
        label="或者粘贴标准全文",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "从封面或“前言”起，把标准的全文复制后粘贴在这里",
                "spellcheck": "false",
            }
        ),
    )
    revision = forms.CharField(required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(required=False)

    def __init__(self, *args: Any, existing: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        limit = f"{settings.HOUQIN_UPLOAD_MAX_MB}\u00a0MB"  # the number and unit on one line
        self.fields["file"].help_text = f"Word 文档（.docx）或文本文件（.txt），不超过 {limit}。"
        replace = self.fields["replace"]
        if existing:
            replace.required = True
            replace.label = f"替换草案现有的 {existing} 条内容"
            replace.help_text = "导入的内容会替换草案中现有的全部内容，替换后不能撤销。"
            replace.error_messages["required"] = (
                f"草案中已有 {existing} 条内容。要用导入的内容替换，请勾选“替换草案现有的 "
                f"{existing} 条内容”；不想替换请返回编辑器。"
            )
        else:
            del self.fields["replace"]

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload is None:
            return None
        if (upload.size or 0) > upload_max_bytes():
            raise ValidationError(
                f"文件太大：不能超过 {settings.HOUQIN_UPLOAD_MAX_MB} MB。"
                "请删除文件中的大图片后再试，或把文字粘贴到下面。"
            )
        if not (upload.name or "").lower().endswith(FILE_SUFFIXES):
            raise ValidationError(
                "只能导入 Word 文档（.docx）或文本文件（.txt）。"
                "其他格式请先在 Word 或 WPS 中“另存为”.docx，或把文字复制后粘贴到下面。"
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        upload = data.get("file")
        text = (data.get("text") or "").strip()
        if "file" not in self.errors:
            if upload is None and not text:
                self.add_error(None, "请选择要导入的文件，或把标准全文粘贴到文本框中。")
            elif upload is not None and text:
                self.add_error(
                    None, "请只用一种方式：上传文件或粘贴文字。要导入文件，请先清空文本框。"
                )
        revision = data.get("revision") or ""
        if not revision.isdigit():
            self.add_error(None, "页面缺少草案版本号，请刷新页面后再导入。")
        else:
            data["revision"] = int(revision)
        return data

    def refuse(self, message: str) -> None:
        """Show why the file or text cannot be read on its field, marked invalid."""
        name = "file" if self.cleaned_data.get("file") else "text"
        self.add_error(name, message)
        attrs = self.fields[name].widget.attrs
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})

    def imported(self) -> tuple[Imported, str]:
        """What the file or text holds and where it came from (for the messages and the
        change log); ``ImportFailed`` when it cannot be read."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
            return read_file(name, upload.read()), f"“{name}”"
        return import_text(self.cleaned_data["text"]), PASTED


def _success(
    request: HttpRequest, imported: Imported, source: str, written: int, *, adopted: bool
) -> None:
    """What the import did, and each line it could not place (the first few of them)."""
    check = "" if adopted else "，起草规则检查的结果在页面下方"
    messages.success(request, f"已从{source}读入 {written} 条内容{check}。")
    flags = imported.flags
    if flags:
        shown = "；".join(flags[:FLAGS_SHOWN])
        more = f"；另有 {len(flags) - FLAGS_SHOWN} 处" if len(flags) > FLAGS_SHOWN else ""
        messages.warning(
            request,
            f"有 {len(flags)} 处未能确定位置，已作为段落保留并在编辑器中标出，"
            f"请逐一核对：{shown}{more}。",
        )


@require_http_methods(["GET", "POST"])
@perm_required(DRAFT)
def draft_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: read the file or text, write it into the draft, open the
    editor (an htmx request gets the address in ``HX-Redirect``)."""
    version = version_for(request.user, pk)
    standard = version.standard
    if not is_drafter(request.user, standard) or not can_edit_text(request.user, standard):
        raise PermissionDenied
    editor_url = reverse("standards:editor", args=[version.pk])
    context: dict[str, Any] = {"version": version, "standard": standard, "editor_url": editor_url}
    if version.is_published:
        draft = draft_version(standard)
        context["reason"] = PUBLISHED
        context["draft_url"] = (
            reverse("standards:draft_import", args=[draft.pk]) if draft is not None else None
        )
        status = 400 if request.method == "POST" else 200
        return render(request, "standards/draft_import.html", context, status=status)
    existing = Clause.objects.filter(version=version).count()
    if request.method != "POST":
        form = DraftImportForm(existing=existing, initial={"revision": version.revision})
        return _page(request, context, form)
    form = DraftImportForm(request.POST, request.FILES, existing=existing)
    if not form.is_valid():
        return _page(request, context, form)
    try:
        imported, source = form.imported()
    except ImportFailed as error:
        form.refuse(error.message)
        return _page(request, context, form)
    try:
        written = drafts.draft_import(
            version=version,
            imported=imported,
            actor=request.user,
            base_revision=form.cleaned_data["revision"],
            replace=bool(form.cleaned_data.get("replace")),
            source=source,
        )
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return _page(request, context, form)
    _success(request, imported, source, written, adopted=standard.is_adopted)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(editor_url)
    return HttpResponseRedirect(editor_url)


def _page(request: HttpRequest, context: dict[str, Any], form: DraftImportForm) -> HttpResponse:
    context.update(form=form, existing=form.existing)
    return render(request, "standards/draft_import.html", context)


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/import/", draft_import, name="draft_import"),
]
