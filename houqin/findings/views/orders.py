"""Supervision orders (督办单): the list, issuing one on the findings ticked in the findings
list, an order's page with its findings and steps (answer, send back, close), its Word
document and its print page."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views import View
from django.views.decorators.http import require_POST

from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.exports import DOCX_TYPE
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for, url_for_pk
from houqin.findings import order_services
from houqin.findings.filters import OrderFilter
from houqin.findings.forms import NoteForm, OrderForm
from houqin.findings.models import FIX, MANAGE, Finding, SupervisionOrder
from houqin.findings.selectors import finding_rows, order_findings, order_get, order_rows
from houqin.findings.views.findings import badge, severity_badge, status_badges

VIEW = "findings.view_finding"
ORDER_BADGES = {"issued": "bg-yellow-lt", "answered": "bg-blue-lt", "closed": "bg-green-lt"}


def _recipient(row: SupervisionOrder) -> str:
    names = [x.name for x in (row.department, row.vendor) if x is not None]
    return "、".join(names)


COLUMNS = [
    Col("督办编号", lambda r: r.reference, "number"),
    Col("标题", lambda r: r.title, "title"),
    Col("主送", _recipient),
    Col("办理期限", lambda r: r.deadline, "deadline"),
    Col("状态", lambda r: r.get_status_display(), "status"),
    Col("问题数", lambda r: r.finding_count, "finding_count"),
    Col("签发时间", lambda r: timezone.localtime(r.issued_at), "issued_at"),
]


class OrderListView(ObjectListView):
    """The organization's supervision orders, newest first."""

    model = SupervisionOrder
    title = "督办单"
    columns = COLUMNS
    default_sort = "-issued_at"
    filterset_class = OrderFilter
    search_fields = ("title", "reference", "body")
    search_hint = "编号、标题或内容"
    detail_url_name = "findings:order_detail"
    template_name = "findings/order_list.html"
    bulk_actions = {}
    empty_text = "在“问题整改”列表中勾选问题，点“对所选问题签发督办单”。"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Orders are read by whoever reads findings (no permission of their own)."""
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return order_rows(user=self.request.user)

    def row_html(self, row: SupervisionOrder, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        status = badge(ORDER_BADGES.get(row.status, ""), row.get_status_display())
        late = ""
        if row.status == SupervisionOrder.Status.ISSUED and row.deadline < self.today:
            late = " " + badge("bg-red-lt", "逾期", "alert-triangle")
        cells = [
            f'<td class="text-nowrap"><a href="{url}">{html.escape(row.reference)}</a></td>',
            f'<td class="text-break" data-label="标题">{html.escape(row.title)}</td>',
            f'<td data-label="主送">{html.escape(_recipient(row))}</td>',
            f'<td class="text-nowrap" data-label="办理期限">{row.deadline:%Y-%m-%d}</td>',
            f'<td data-label="状态">{status}{late}</td>',
            f'<td data-label="问题数">{row.finding_count}</td>',  # type: ignore[attr-defined]
            f'<td class="text-nowrap" data-label="签发时间">'
            f"{timezone.localtime(row.issued_at):%Y-%m-%d}</td>",
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)

    def get(self, request: HttpRequest) -> HttpResponse:
        self.today = timezone.localdate()
        return super().get(request)


order_list = OrderListView.as_view()


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 18][: order_services.MAX_FINDINGS]


@perm_required(MANAGE)
def order_create(request: HttpRequest) -> HttpResponse:
    """签发督办单 on the findings ticked in the list (``?ids=``)."""
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    ids = _ids(request.POST.getlist("findings") if posted else request.GET.getlist("ids"))
    chosen = list(finding_rows(user=user).filter(pk__in=ids, organization_id=user.organization_id))
    if posted is None and not chosen:
        messages.info(request, "请先在问题列表中勾选要督办的问题。")
        return redirect("findings:finding_list")
    initial = order_services.order_defaults(chosen, timezone.localdate())
    initial["findings"] = [f.pk for f in chosen]
    form = OrderForm(
        posted,
        initial=initial,
        organization_id=user.organization_id,
        finding_ids=[f.pk for f in chosen] or ids,
    )
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            order = order_services.order_issue(
                organization=user.organization,
                actor=user,
                title=data["title"],
                body=data["body"],
                deadline=data["deadline"],
                findings=list(data["findings"]),
                department=data["department"],
                vendor=data["vendor"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已签发督办单 {order.reference}，已通知主送方。")
            return redirect("findings:order_detail", pk=order.pk)
    context = {"form": form, "count": len(chosen)}
    return render(request, "findings/order_form.html", context)


@dataclass(frozen=True)
class OrderStep:
    name: str
    label: str
    confirm: str
    needs_note: bool
    danger: bool = False


def _steps(order: SupervisionOrder, user: Any) -> list[OrderStep]:
    steps: list[OrderStep] = []
    if order.organization_id != user.organization_id:
        return steps
    if order.status == SupervisionOrder.Status.ISSUED and order_services.may_answer(user, order):
        steps.append(
            OrderStep("answer", "报送办理情况", "写明各问题的整改情况；报送后由签发人审核。", True)
        )
    if order.status == SupervisionOrder.Status.ANSWERED and user.has_perm(MANAGE):
        steps.append(OrderStep("close", "办结", "办结后督办单不能再退回。", False))
        steps.append(OrderStep("send_back", "退回重办", "写明退回的原因。", True, danger=True))
    return steps


def _finding_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "finding": f,
            "url": url_for_pk("findings:finding_detail", f.pk),
            "severity": mark_safe(severity_badge(f.severity)),  # noqa: S308  (escaped)
            "status": mark_safe(status_badges(f.rectification, now)),  # noqa: S308  (escaped)
        }
        for f in findings
    ]


@perm_required(VIEW)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    order = order_get(user=user, pk=pk)
    late = order.status == SupervisionOrder.Status.ISSUED and order.deadline < timezone.localdate()
    context = {
        "order": order,
        "status_badge": mark_safe(  # noqa: S308  (escaped)
            badge(ORDER_BADGES.get(order.status, ""), order.get_status_display())
        ),
        "late": late,
        "findings": _finding_rows(order_findings(order)),
        "steps": _steps(order, user),
        "changelog": changelog_entries(order),
    }
    return render(request, "findings/order_detail.html", context)


@require_POST
@perm_required(FIX, MANAGE)
def order_step(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    order = order_get(user=user, pk=pk, action="change")
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        order_services.order_step(
            order=order, actor=user, step=request.POST.get("name", ""), note=note
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"督办单 {order.reference} 已更新。")
    return redirect("findings:order_detail", pk=order.pk)


@perm_required(VIEW)
def order_word(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    from houqin.findings.documents import order_docx  # python-docx only when asked for

    content = order_docx(order, order_findings(order))
    response = HttpResponse(content, content_type=DOCX_TYPE)
    name = f"{order.reference}{order.title}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _print_context(order: SupervisionOrder) -> dict[str, Any]:
    return {
        "order": order,
        "findings": order_findings(order),
        "issued_on": timezone.localtime(order.issued_at).date(),
        "word_url": url_for_pk("findings:order_word", order.pk),
        "pdf_url": url_for_pk("findings:order_pdf", order.pk),
        "back_url": url_for_pk("findings:order_detail", order.pk),
        "list_url": url_for("findings:order_list"),
    }


@perm_required(VIEW)
def order_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The order laid out as the printed document, for the browser's print dialog."""
    order = order_get(user=request.user, pk=pk)
    return render(request, "findings/order_print.html", _print_context(order))


@perm_required(VIEW)
def order_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    from houqin.findings.documents import order_pdf  # WeasyPrint only when asked for

    response = HttpResponse(order_pdf(_print_context(order)), content_type="application/pdf")
    name = f"{order.reference}{order.title}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


urlpatterns = [
    path("orders/", order_list, name="order_list"),
    path("orders/new/", order_create, name="order_create"),
    path("orders/<int:pk>/", order_detail, name="order_detail"),
    path("orders/<int:pk>/step/", order_step, name="order_step"),
    path("orders/<int:pk>/word/", order_word, name="order_word"),
    path("orders/<int:pk>/print/", order_print, name="order_print"),
    path("orders/<int:pk>/pdf/", order_pdf_download, name="order_pdf"),
]
