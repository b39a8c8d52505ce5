"""Starting an empty draft from a drafting template: the editor's empty state posts the
chosen template here (a plain form with the draft revision the page was loaded on); the
answer goes back to the editor with what happened at the top of the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.standards.drafting import TEMPLATES_BY_KEY
from houqin.standards.models import DRAFT
from houqin.standards.services import can_edit_text
from houqin.standards.services.templates import draft_from_template
from houqin.standards.views.editor import is_drafter, version_for


@require_POST
@perm_required(DRAFT)
def draft_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the empty draft ``pk`` with the template named by ``template``."""
    version = version_for(request.user, pk)
    standard = version.standard
    if not is_drafter(request.user, standard) or not can_edit_text(request.user, standard):
        raise PermissionDenied
    editor_url = reverse("standards:editor", args=[version.pk])
    revision = request.POST.get("revision", "")
    key = request.POST.get("template", "")
    try:
        if not revision.isdigit():
            raise ValidationError("页面缺少草案版本号，请刷新页面后再选模板。")
        count = draft_from_template(
            version=version, key=key, actor=request.user, base_revision=int(revision)
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(editor_url)
    messages.success(
        request,
        f"已按“{TEMPLATES_BY_KEY[key].name}”模板生成草案（{count}个条款）。"
        "请把【】中的提示逐条换成本标准的内容，不需要的章、条可以删除。",
    )
    return HttpResponseRedirect(editor_url)


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/template/", draft_template, name="draft_template"),
]
