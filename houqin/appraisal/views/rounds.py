"""Quarterly supervision rounds (督办): the list, opening the round of a quarter, a round's
page with the items Houqin proposes (ticked to pursue, then issued as 督办单) and the state
of each order issued."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from houqin.appraisal import round_services
from houqin.appraisal.models import RoundItem, SupervisionRound
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.forms import StyledForm
from houqin.common.generic import Col, ObjectListView, add_errors

VIEW = "appraisal.view_supervisionround"
ADD = "appraisal.add_supervisionround"
RUN = "appraisal.change_supervisionround"
ORDER_BADGES = {"issued": "bg-yellow-lt", "answered": "bg-blue-lt", "closed": "bg-green-lt"}
DEFAULT_DAYS = 15


class RoundListView(ObjectListView):
    """The organization's supervision rounds, newest first, with their progress."""

    model = SupervisionRound
    title = "季度督办"
    columns = [
        Col("季度", lambda r: str(r), "year"),
        Col("督办事项", lambda r: r.item_count, "item_count"),
        Col("拟督办", lambda r: r.picked_count, "picked_count"),
        Col("已签发督办单", lambda r: r.order_count, "order_count"),
        Col("已办结", lambda r: r.closed_count, "closed_count"),
        Col("提出时间", lambda r: timezone.localtime(r.proposed_at), "proposed_at"),
    ]
    default_sort = "-year"
    detail_url_name = "appraisal:round_detail"
    create_url_name = "appraisal:round_create"
    empty_text = "点“新建”开启本季度的督办，系统会列出逾期整改、重复问题、低分和逾期复审的标准。"

    def get_queryset(self) -> Any:
        return round_services.round_rows(user=self.request.user).order_by("-year", "-quarter")


round_list = RoundListView.as_view()


class RoundForm(StyledForm):
    day = forms.DateField(
        label="季度内任一日期",
        help_text="开启这一天所在季度的督办；默认本季度。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@perm_required(ADD)
def round_create(request: HttpRequest) -> HttpResponse:
    """开启督办：选一个日期，开启它所在季度的督办轮次并提出督办事项。"""
    user: Any = request.user
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sround = round_services.round_open(
                organization=user.organization, actor=user, day=form.cleaned_data["day"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已开启{sround}，请勾选要督办的事项。")
            return redirect("appraisal:round_detail", pk=sround.pk)
    context = {"form": form, "title": "开启季度督办", "cancel_url": reverse("appraisal:round_list")}
    return render(request, "common/object_form.html", context)


def _badge(item: RoundItem) -> tuple[str, str]:
    if item.order is None:
        return "", ""
    return ORDER_BADGES.get(item.order.status, ""), item.order.get_status_display()


@perm_required(VIEW)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    sround = round_services.round_get(user=user, pk=pk)
    items = round_services.round_items(sround)
    groups = [
        (RoundItem.Kind(kind).label, [(item, *_badge(item)) for item in rows])
        for kind, rows in groupby(items, key=lambda i: i.kind)
    ]
    can_run = user.has_perm(RUN) and sround.organization_id == user.organization_id
    context = {
        "round": sround,
        "groups": groups,
        "count": len(items),
        "picked": sum(1 for i in items if i.picked and i.order is None),
        "issued": sum(1 for i in items if i.order is not None),
        "can_run": can_run,
        "deadline": timezone.localdate() + timedelta(days=DEFAULT_DAYS),
        "changelog": changelog_entries(sround),
    }
    return render(request, "appraisal/round_detail.html", context)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 18][:1000]


@require_POST
@perm_required(RUN)
def round_pick(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    sround = round_services.round_get(user=user, pk=pk, action="change")
    count = round_services.round_pick(
        sround=sround, actor=user, item_ids=_ids(request.POST.getlist("items"))
    )
    messages.success(request, f"已保存勾选：拟督办 {count} 项。")
    return redirect("appraisal:round_detail", pk=sround.pk)


class IssueForm(StyledForm):
    deadline = forms.DateField(label="办理期限")


@require_POST
@perm_required(RUN)
def round_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    sround = round_services.round_get(user=user, pk=pk, action="change")
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写办理期限。")
        return redirect("appraisal:round_detail", pk=sround.pk)
    try:
        issued, failed = round_services.round_issue(
            sround=sround, actor=user, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if issued:
            numbers = "、".join(o.reference for o in issued)
            messages.success(request, f"已签发 {len(issued)} 份督办单：{numbers}，已通知主送方。")
        if failed:
            messages.error(request, f"{len(failed)} 项未签发：" + "；".join(failed[:5]))
    return redirect("appraisal:round_detail", pk=sround.pk)


@require_POST
@perm_required(RUN)
def round_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    sround = round_services.round_get(user=user, pk=pk, action="change")
    added = round_services.round_propose(sround=sround, actor=user)
    messages.success(
        request, f"已重新提出督办事项：新增 {added} 项。" if added else "没有新的督办事项。"
    )
    return redirect("appraisal:round_detail", pk=sround.pk)


urlpatterns = [
    path("rounds/", round_list, name="round_list"),
    path("rounds/new/", round_create, name="round_create"),
    path("rounds/<int:pk>/", round_detail, name="round_detail"),
    path("rounds/<int:pk>/pick/", round_pick, name="round_pick"),
    path("rounds/<int:pk>/issue/", round_issue, name="round_issue"),
    path("rounds/<int:pk>/propose/", round_propose, name="round_propose"),
]
