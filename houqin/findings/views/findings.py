"""The findings list (filter, search, sort, Excel export, tick findings for a supervision
order), a finding's page (what, where, the clause, photos, the record, repeats, the
rectification with its steps, the change log), raising a finding by hand with photos, and
the steps of the rectification loop."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from houqin.checklists.models import Severity
from houqin.common.decorators import perm_required
from houqin.common.exports import xlsx_response
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.icons import icon_svg
from houqin.common.lists import ListPage, url_for, url_for_pk
from houqin.common.signals import list_exported
from houqin.findings import services
from houqin.findings.filters import FindingFilter
from houqin.findings.forms import FindingForm, FixForm, NoteForm
from houqin.findings.models import FIX, MANAGE, RAISE, Finding, Rectification
from houqin.findings.people import responsible_words
from houqin.findings.selectors import (
    clause_words,
    finding_family,
    finding_get,
    finding_log,
    finding_photos,
    finding_rows,
    optional_url,
    rectification_steps,
)
from houqin.places.models import Place

VIEW = "findings.view_finding"
SEVERITY_BADGES = {"minor": "bg-blue-lt", "major": "bg-yellow-lt", "critical": "bg-red-lt"}
STATUS_BADGES = {
    "assigned": "bg-yellow-lt",
    "returned": "bg-red-lt",
    "fixed": "bg-blue-lt",
    "effect_check": "bg-purple-lt",
    "closed": "bg-green-lt",
}
SEVERITY_LABELS = dict(Severity.choices)
STATUS_LABELS = dict(Rectification.Status.choices)


def badge(css: str, text: str, icon: str = "") -> str:
    mark = icon_svg(icon) if icon else ""
    return f'<span class="badge {css}">{mark}{html.escape(text)}</span>'


def severity_badge(value: str) -> str:
    return badge(SEVERITY_BADGES.get(value, "bg-secondary-lt"), SEVERITY_LABELS.get(value, value))


def status_badges(rectification: Rectification, now: datetime) -> str:
    """The state of the fix, and 逾期 when it is still due after its deadline (an icon and
    a word, never colour alone)."""
    text = badge(
        STATUS_BADGES.get(rectification.status, "bg-secondary-lt"),
        STATUS_LABELS.get(rectification.status, rectification.status),
    )
    if services.is_overdue(rectification, now):
        text += " " + badge("bg-red-lt", "逾期", "alert-triangle")
    return text


def export_query(request: HttpRequest) -> str:
    """The list's query for its Excel export: the same filter, no page."""
    params = request.GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return params.urlencode()


def _day(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}"


def _minute(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


COLUMNS = [
    Col("问题", lambda r: r.title, "title"),
    Col("严重程度", lambda r: SEVERITY_LABELS.get(r.severity, ""), "severity"),
    Col("场所", lambda r: r.place.name if r.place_id else "", "place__name"),
    Col("责任方", lambda r: responsible_words(r.rectification)),
    Col("整改状态", lambda r: r.rectification.get_status_display(), "rectification__status"),
    Col("整改期限", lambda r: _day(r.rectification.deadline), "rectification__deadline"),
    Col("发现时间", lambda r: _minute(r.raised_at), "raised_at"),
]

EXPORT_COLUMNS = [
    Col("发现时间", lambda r: r.raised_at),
    Col("问题", lambda r: r.title),
    Col("情况说明", lambda r: r.description),
    Col("来源", lambda r: r.get_source_display()),
    Col("严重程度", lambda r: r.get_severity_display()),
    Col("重复发生", lambda r: "是" if r.repeat_of_id else ""),
    Col("场所", lambda r: r.place.name if r.place_id else ""),
    Col(
        "责任科室",
        lambda r: r.rectification.department.name if r.rectification.department_id else "",
    ),
    Col("责任服务商", lambda r: r.rectification.vendor.name if r.rectification.vendor_id else ""),
    Col("整改人", lambda r: r.rectification.person.name if r.rectification.person_id else ""),
    Col("整改状态", lambda r: r.rectification.get_status_display()),
    Col("整改期限", lambda r: r.rectification.deadline),
    Col("逾期", lambda r: "是" if services.is_overdue(r.rectification) else ""),
    Col("整改情况", lambda r: r.rectification.evidence),
]


class FindingListView(ObjectListView):
    """The organization's findings with the state of their rectification."""

    model = Finding
    title = "问题整改"
    columns = COLUMNS
    default_sort = "-raised_at"
    filterset_class = FindingFilter
    search_fields = ("title", "description")
    search_hint = "问题或情况说明中的字词"
    detail_url_name = "findings:finding_detail"
    create_url_name = "findings:finding_create"
    template_name = "findings/finding_list.html"
    bulk_actions = {}

    filter_columns = "col-6 col-md-3 col-lg-2"

    def get_queryset(self) -> Any:
        return finding_rows(user=self.request.user)

    def row_html(self, row: Finding, selectable: bool = False) -> SafeString:
        """One row as a string; on a phone a block of labelled lines."""
        rectification = row.rectification
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        repeat = " " + badge("bg-red-lt", "重复发生", "refresh") if row.repeat_of_id else ""
        place = html.escape(row.place.name) if row.place_id else "—"
        cells = [
            f'<td class="text-break"><a href="{url}">{html.escape(row.title)}</a>{repeat}</td>',
            f'<td data-label="严重程度">{severity_badge(row.severity)}</td>',
            f'<td class="cell-nowrap" data-label="场所">{place}</td>',
            f'<td class="cell-nowrap" data-label="责任方">'
            f"{html.escape(responsible_words(rectification))}</td>",
            f'<td data-label="整改状态">{status_badges(rectification, self.now)}</td>',
            f'<td class="text-nowrap" data-label="整改期限">{_day(rectification.deadline)}</td>',
            f'<td class="text-nowrap" data-label="发现时间">{_minute(row.raised_at)}</td>',
        ]
        if selectable:
            cells.insert(
                0,
                f'<td class="w-1"><input type="checkbox" class="form-check-input" name="ids" '
                f'value="{row.pk}" form="bulk-form" aria-label="选择 {html.escape(row.title)}" '
                "data-bulk-item></td>",
            )
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)

    def get(self, request: HttpRequest) -> HttpResponse:
        listing = self.listing()
        if request.GET.get("export") == "xlsx":
            return self.export(listing)
        self.now = timezone.now()
        page = listing.page()
        user = request.user
        can_issue = user.has_perm(MANAGE)
        context = {
            "view": self,
            "listing": listing,
            "page": page,
            "rows": [self.row_html(row, can_issue) for row in page.object_list],
            "table_head": listing.head(selectable=can_issue),
            "can_issue": can_issue,
            "can_create": user.has_perm(RAISE),
            "can_oversee": user.has_perm("checklists.view_schedule"),
            "export_query": export_query(request),
        }
        return render(request, self.template_name, context)

    def export(self, listing: ListPage) -> HttpResponse:
        rows = list(listing.rows[:50000])
        list_exported.send(
            type(self),
            request=self.request,
            what=self.title,
            filter_note=listing.filter_note(),
            rows=len(rows),
        )
        return xlsx_response(
            title=self.title,
            headers=[c.label for c in EXPORT_COLUMNS],
            rows=([c.export_value(row) for c in EXPORT_COLUMNS] for row in rows),
            filter_note=listing.filter_note(),
            filename="问题整改.xlsx",
            exported_by=getattr(self.request.user, "name", ""),
        )


finding_list = FindingListView.as_view()


def _place_param(user: Any, raw: str) -> Place | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    place = Place.objects.for_user(user, "change").filter(pk=raw).first()
    if place is None:
        raise Http404
    return place


@perm_required(RAISE)
def finding_create(request: HttpRequest) -> HttpResponse:
    """登记问题: by hand, from the findings list or a place's page (``?place=``)."""
    user: Any = request.user
    place = _place_param(user, request.GET.get("place", ""))
    initial: dict[str, Any] = {}
    if place is not None:
        initial = {"place": str(place.pk), "department": place.department_id}
    posted = request.POST if request.method == "POST" else None
    form = FindingForm(
        posted,
        request.FILES if posted is not None else None,
        initial=initial,
        organization_id=user.organization_id,
    )
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        chosen = Place.objects.filter(
            pk=data["place"] or 0, organization_id=user.organization_id
        ).first()
        person = None
        if data["person"]:
            person = (
                type(user)
                .objects.filter(pk=data["person"], organization_id=user.organization_id)
                .first()
            )
        try:
            finding = services.finding_report(
                organization=user.organization,
                actor=user,
                title=data["title"],
                severity=data["severity"],
                description=data["description"],
                responsible=services.Responsible(
                    department=data["department"], vendor=data["vendor"], person=person
                ),
                place=chosen,
                fix_days=data["fix_days"],
                photos=data["photos"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "问题已登记，已通知负责整改的人。")
            return redirect("findings:finding_detail", pk=finding.pk)
    cancel = (
        url_for_pk("places:place_detail", place.pk) if place else url_for("findings:finding_list")
    )
    context = {"form": form, "place": place, "cancel_url": cancel}
    return render(request, "findings/finding_form.html", context)


@perm_required(VIEW)
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    finding = finding_get(user=user, pk=pk)
    rectification = finding.rectification
    now = timezone.now()
    own = finding.organization_id == user.organization_id
    clause, clause_url = clause_words(finding)
    family = finding_family(finding)
    context = {
        "finding": finding,
        "rectification": rectification,
        "severity_badge": mark_safe(severity_badge(finding.severity)),  # noqa: S308
        "status_badges": mark_safe(status_badges(rectification, now)),  # noqa: S308
        "overdue": services.is_overdue(rectification, now),
        "responsible": responsible_words(rectification),
        "clause": clause,
        "clause_url": clause_url,
        "record_url": optional_url("checklists:record_detail", finding.record_id)
        if finding.record_id
        else "",
        "record_time": _minute(finding.record.submitted_at or finding.record.started_at)
        if finding.record is not None
        else "",
        "photos": finding_photos(finding),
        "family": [
            {
                "finding": f,
                "current": f.pk == finding.pk,
                "url": url_for_pk("findings:finding_detail", f.pk),
                "status": f.rectification.get_status_display()
                if hasattr(f, "rectification")
                else "",
            }
            for f in family
        ],
        "orders": list(finding.supervision_orders.order_by("-issued_at")),
        "steps": rectification_steps(rectification, user, timezone.localdate()) if own else [],
        "fix_form": FixForm(),
        "changelog": finding_log(finding),
    }
    return render(request, "findings/finding_detail.html", context)


@require_POST
@perm_required(FIX, MANAGE)
def rectification_step(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: one step of the loop (``name``: fix, accept, send_back, confirm, reopen) with
    its note and, for a fix, its photos."""
    user: Any = request.user
    finding = finding_get(user=user, pk=pk, action="change")
    step = request.POST.get("name", "")
    if step == "fix":
        form: FixForm | NoteForm = FixForm(request.POST, request.FILES)
    else:
        form = NoteForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, str(first))
        return redirect("findings:finding_detail", pk=finding.pk)
    try:
        services.rectification_step(
            rectification=finding.rectification,
            actor=user,
            step=step,
            note=form.cleaned_data.get("note", ""),
            photos=form.cleaned_data.get("photos", []),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, STEP_DONE.get(step, "已完成。"))
    return redirect("findings:finding_detail", pk=finding.pk)


STEP_DONE = {
    "fix": "整改已提交，等待验收。",
    "accept": "已验收。",
    "send_back": "已退回整改人重新整改。",
    "confirm": "复查有效，问题已关闭。",
    "reopen": "已退回重新整改。",
}

urlpatterns = [
    path("", finding_list, name="finding_list"),
    path("new/", finding_create, name="finding_create"),
    path("<int:pk>/", finding_detail, name="finding_detail"),
    path("<int:pk>/step/", rectification_step, name="rectification_step"),
]
