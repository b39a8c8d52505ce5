"""Downloads of the standards app: a version as Word and PDF and its print page; the system
table (Excel or Word) and its structure diagram (PNG); the yearly plan (Word). Every row is
reached through ``for_user`` (an outsider gets 404) and every download is audited."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from houqin.common.decorators import perm_required
from houqin.common.exports import DOCX_TYPE, PDF_TYPE, XLSX_TYPE
from houqin.common.signals import list_exported
from houqin.standards.documents.diagram import DiagramFontMissing
from houqin.standards.documents.source import document_source, download_name
from houqin.standards.documents.standard_html import document_parts
from houqin.standards.models import (
    Standard,
    StandardNode,
    StandardPlan,
    StandardVersion,
    sees_all_standards,
)

# The document builders load python-docx, openpyxl and WeasyPrint (seconds and tens of MB):
# they are imported by the views that use them, not when the URLconf loads.

VIEW_STANDARD = "standards.view_standard"
VIEW_NODE = "standards.view_standardnode"
VIEW_PLAN = "standards.view_standardplan"


def file_response(data: bytes, filename: str, content_type: str, fallback: str) -> HttpResponse:
    """A download with its Chinese name (RFC 5987 ``filename*``) and an ASCII fallback."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _audit(request: HttpRequest, what: str, note: str, rows: int) -> None:
    list_exported.send(__name__, request=request, what=what, filter_note=note, rows=rows)


def _version_get(user: Any, pk: int) -> StandardVersion:
    """A version of a standard the user may reach (outsider → 404)."""
    versions = StandardVersion.objects.select_related("standard", "standard__organization")
    if not sees_all_standards(user):
        versions = versions.published()
    version = versions.filter(pk=pk, standard__in=Standard.objects.for_user(user)).first()
    if version is None:
        raise Http404
    return version


def _version_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    version = _version_get(request.user, pk)
    standard = version.standard
    if kind == "docx":
        from houqin.standards.documents.standard_docx import version_docx as build
    else:
        from houqin.standards.documents.standard_pdf import version_pdf as build
    data = build(version)
    label = "Word" if kind == "docx" else "PDF"
    _audit(request, f"标准文本（{label}）", f"{standard}　第{version.seq}版", 1)
    return file_response(
        data,
        download_name(standard, kind),
        DOCX_TYPE if kind == "docx" else PDF_TYPE,
        f"standard-{version.pk}.{kind}",
    )


@perm_required(VIEW_STANDARD)
def version_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_file(request, pk, "docx")


@perm_required(VIEW_STANDARD)
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_file(request, pk, "pdf")


@perm_required(VIEW_STANDARD)
def version_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The version laid out as the printed standard, for the browser's print dialog."""
    version = _version_get(request.user, pk)
    source = document_source(version.standard, version)
    context = {
        "source": source,
        "parts": document_parts(source),
        "docx_url": reverse("standards:version_docx", args=[version.pk]),
        "pdf_url": reverse("standards:version_pdf", args=[version.pk]),
    }
    return render(request, "standards/print_version.html", context)


def _node_param(request: HttpRequest) -> StandardNode | None:
    """The ``node`` of the query (a node of the user's organization), or None."""
    raw = request.GET.get("node", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    node = (
        StandardNode.objects.for_user(request.user)
        .filter(pk=int(raw), organization_id=request.user.organization_id)  # type: ignore[union-attr]
        .first()
    )
    if node is None:
        raise Http404
    return node


@perm_required(VIEW_NODE)
def system_table_export(request: HttpRequest) -> HttpResponse:
    """GET ?format=xlsx|docx&node=<pk>: the system table of the tree or of one branch."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "docx"):
        return HttpResponseBadRequest("导出格式只能是 xlsx 或 docx。")
    from houqin.standards.documents.system_table import (
        system_table,
        system_table_docx,
        system_table_xlsx,
    )

    node = _node_param(request)
    organization = request.user.organization  # type: ignore[union-attr]
    table = system_table(organization, node)
    if fmt == "xlsx":
        data = system_table_xlsx(organization, node, table=table)
    else:
        data = system_table_docx(organization, node, table=table)
    _audit(request, "标准体系表", f"范围：{table.scope}", len(table.rows))
    filename = f"{table.title}.{fmt}"
    return file_response(
        data, filename, XLSX_TYPE if fmt == "xlsx" else DOCX_TYPE, f"system-table.{fmt}"
    )


@perm_required(VIEW_NODE)
def system_diagram(request: HttpRequest) -> HttpResponse:
    """The structure diagram as a PNG (?node=<pk> for one branch), shown inline."""
    from houqin.standards.documents.system_table import system_diagram, system_table

    node = _node_param(request)
    table = system_table(request.user.organization, node)  # type: ignore[union-attr]
    try:
        png = system_diagram(table)
    except DiagramFontMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@perm_required(VIEW_PLAN)
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The yearly plan as a Word document, slippage measured today."""
    plan = StandardPlan.objects.for_user(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    from houqin.standards.documents.plan import plan_docx

    data = plan_docx(plan, today=timezone.localdate())
    _audit(request, "标准制修订计划", str(plan), plan.items.count())
    return file_response(
        data, f"{plan.year}年度标准制修订计划.docx", DOCX_TYPE, f"plan-{plan.year}.docx"
    )


urlpatterns: list[URLPattern] = [
    path("versions/<int:pk>/docx/", version_docx, name="version_docx"),
    path("versions/<int:pk>/pdf/", version_pdf, name="version_pdf"),
    path("versions/<int:pk>/print/", version_print, name="version_print"),
    path("system/export/", system_table_export, name="system_table_export"),
    path("system/diagram.png", system_diagram, name="system_diagram"),
    path("plans/<int:pk>/export/", plan_export, name="plan_export"),
]
