"""The reward/penalty ledger (奖惩台账): the list with filters and Excel export, an entry's
page with its score or finding and the leader's approval, and registering an entry by
hand."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST

from houqin.appraisal import ledger_services
from houqin.appraisal.models import RewardPenalty
from houqin.appraisal.models.ledger import APPROVE, PROPOSE
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledForm
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk
from houqin.findings.models import Finding
from houqin.org.models import Department, Staff, Team, Vendor

VIEW = ledger_services.VIEW


class LedgerFilter(OrgFilterSet):
    """The ledger: by reward or penalty, state, kind of subject and origin."""

    kind = django_filters.ChoiceFilter(
        label="奖惩", choices=RewardPenalty.Kind.choices, empty_label="奖励和处罚"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=RewardPenalty.Status.choices, empty_label="全部状态"
    )
    subject_kind = django_filters.ChoiceFilter(
        label="对象类型", choices=RewardPenalty.Subject.choices, empty_label="全部对象"
    )
    origin = django_filters.ChoiceFilter(
        label="来源", choices=RewardPenalty.Origin.choices, empty_label="全部来源"
    )

    class Meta:
        model = RewardPenalty
        form = StyledForm
        fields = ["kind", "status", "subject_kind", "origin"]


def _amount(row: RewardPenalty) -> Any:
    return row.amount if row.amount is not None else ""


COLUMNS = [
    Col("登记日期", lambda r: timezone.localtime(r.proposed_at).date(), "proposed_at"),
    Col("对象", lambda r: r.subject_name, "subject_name"),
    Col("对象类型", lambda r: r.get_subject_kind_display(), "subject_kind"),
    Col("奖惩", lambda r: r.get_kind_display(), "kind"),
    Col("措施", lambda r: r.measure, "measure"),
    Col("金额（元）", _amount, "amount"),
    Col("事由", lambda r: r.reason),
    Col("来源", lambda r: r.get_origin_display(), "origin"),
    Col("状态", lambda r: r.get_status_display(), "status"),
]


class LedgerListView(ObjectListView):
    """The organization's ledger entries, newest first."""

    model = RewardPenalty
    title = "奖惩台账"
    columns = COLUMNS
    default_sort = "-proposed_at"
    filterset_class = LedgerFilter
    search_fields = ("subject_name", "measure", "reason")
    search_hint = "对象、措施或事由"
    detail_url_name = "appraisal:ledger_detail"
    create_url_name = "appraisal:ledger_create"
    template_name = "appraisal/object_list.html"
    create_label = "登记奖惩"
    noun = "奖惩记录"
    testid = "ledger-table"
    empty_icon = "list-details"
    reader_empty_text = "考核周期定稿后，按方案的奖惩规则生成的记录会列在这里。"
    empty_text = "考核周期定稿时按方案的奖惩规则自动生成；也可以点“登记奖惩”人工登记。"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.has_perm(VIEW) or request.user.has_perm(APPROVE)):
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return ledger_services.ledger_for(self.request.user)


ledger_list = LedgerListView.as_view()


def _entry_get(user: Any, pk: int) -> RewardPenalty:
    entry = (
        ledger_services.ledger_for(user)
        .select_related("score__period", "finding", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


@perm_required(VIEW, APPROVE)
def ledger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    entry = _entry_get(user, pk)
    decide = ledger_services.may_decide(user, entry)
    score = entry.score
    context = {
        "entry": entry,
        "score_url": url_for_pk("appraisal:score_detail", score.pk) if score else "",
        "finding_url": url_for_pk("findings:finding_detail", entry.finding_id)
        if entry.finding_id
        else "",
        "steps": [
            (name, transition)
            for name, transition in RewardPenalty.workflow.transitions.items()
            if decide
        ],
        "changelog": changelog_entries(entry),
    }
    return render(request, "appraisal/ledger_detail.html", context)


@require_POST
@perm_required(APPROVE)
def ledger_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    entry = _entry_get(user, pk)
    name = request.POST.get("name", "")
    try:
        ledger_services.entry_decide(
            entry=entry, actor=user, name=name, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"奖惩记录已{entry.get_status_display()}。")
    return redirect("appraisal:ledger_detail", pk=entry.pk)


class EntryForm(StyledForm):
    """Registering an entry by hand: the subject's kind picks which of the four lists
    counts."""

    kind = forms.ChoiceField(label="奖惩", choices=RewardPenalty.Kind.choices)
    subject_kind = forms.ChoiceField(label="对象类型", choices=RewardPenalty.Subject.choices)
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label="班组", queryset=Team.objects.none(), required=False)
    vendor = forms.ModelChoiceField(label="服务商", queryset=Vendor.objects.none(), required=False)
    staff = forms.ModelChoiceField(label="人员", queryset=Staff.objects.none(), required=False)
    measure = forms.CharField(label="措施", max_length=100)
    amount = forms.DecimalField(
        label="金额（元）", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    reason = forms.CharField(label="事由", max_length=300, widget=forms.Textarea({"rows": 3}))
    finding = forms.IntegerField(
        label="关联问题编号",
        required=False,
        min_value=1,
        help_text="因某个问题奖惩时填写问题编号（问题页面地址中的数字），选填。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        org = user.organization_id
        self.fields["department"].queryset = Department.objects.filter(organization_id=org)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(organization_id=org)  # type: ignore[attr-defined]
        self.fields["vendor"].queryset = Vendor.objects.filter(organization_id=org)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            organization_id=org, status=Staff.Status.ACTIVE
        )

    def clean_finding(self) -> Finding | None:
        pk = self.cleaned_data.get("finding")
        if pk is None:
            return None
        finding = Finding.objects.for_user(self.user).filter(pk=pk).first()
        if finding is None:
            raise ValidationError("没有这个编号的问题，请核对问题编号。")
        return finding


@perm_required(PROPOSE)
def ledger_create(request: HttpRequest) -> HttpResponse:
    """登记奖惩 by hand; it waits for a leader's approval."""
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    initial = {"finding": request.GET.get("finding")} if request.GET.get("finding") else {}
    form = EntryForm(posted, user=user, initial=initial)
    if posted is not None and form.is_valid():
        try:
            entry = ledger_services.entry_register(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已登记，等待领导批准。")
            return redirect("appraisal:ledger_detail", pk=entry.pk)
    context = {"form": form, "cancel_url": "appraisal:ledger_list"}
    return render(request, "appraisal/ledger_form.html", context)


urlpatterns = [
    path("ledger/", ledger_list, name="ledger_list"),
    path("ledger/new/", ledger_create, name="ledger_create"),
    path("ledger/<int:pk>/", ledger_detail, name="ledger_detail"),
    path("ledger/<int:pk>/decide/", ledger_decide, name="ledger_decide"),
]
