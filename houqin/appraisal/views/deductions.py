"""Vendor deductions (服务商扣款): the statements list (a vendor's manager sees only their
own), a statement's page with its lines and the rows behind them, appeals and answers, the
steps, the Excel and signed-off PDF; and a contract's deduction terms and rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST

from houqin.appraisal import deduction_services as ds
from houqin.appraisal.deduction_documents import evidence_text, statement_pdf, statement_xlsx
from houqin.appraisal.models import DeductionLine, DeductionRule, DeductionStatement, DeductionTerms
from houqin.appraisal.models.deductions import APPEAL, MANAGE, RUN, SIGN_OFF
from houqin.checklists.models import Severity
from houqin.checklists.selectors import membership
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.filters import OrgFilterSet
from houqin.common.forms import StyledForm
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk
from houqin.org.models import Contract, ServiceLine, Vendor

VIEW = ds.VIEW
TERMS_VIEW = "appraisal.view_deductionterms"
EVIDENCE_URLS = {
    "findings": ("问题", "findings:finding_detail"),
    "tasks": ("任务", "checklists:task_detail"),
    "records": ("检查记录", "checklists:record_detail"),
}


class StatementFilter(OrgFilterSet):
    """The statements: by state and vendor."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=DeductionStatement.Status.choices, empty_label="全部状态"
    )
    vendor = django_filters.ChoiceFilter(
        label="服务商", field_name="vendor_id", choices=[], empty_label="全部服务商"
    )
    org_choices = {"vendor": (Vendor, "name")}

    class Meta:
        model = DeductionStatement
        form = StyledForm
        fields = ["status", "vendor"]


class OwnStatementFilter(django_filters.FilterSet):
    """A vendor's own statements: by state only (other vendors' names are not listed)."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=DeductionStatement.Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = DeductionStatement
        form = StyledForm
        fields = ["status"]


COLUMNS = [
    Col("月份", lambda r: f"{r.month:%Y-%m}", "month"),
    Col("服务商", lambda r: r.vendor.name, "vendor__name"),
    Col("合同", lambda r: r.contract.number, "contract__number"),
    Col("扣款合计（元）", lambda r: r.total_before_cap, "total_before_cap"),
    Col("月扣款上限（元）", lambda r: r.cap_amount, "cap_amount"),
    Col("实际扣款（元）", lambda r: r.total, "total"),
    Col("状态", lambda r: r.get_status_display(), "status"),
    Col("签发时间", lambda r: timezone.localtime(r.signed_at) if r.signed_at else "", "signed_at"),
]


class StatementListView(ObjectListView):
    """The deduction statements the person may see, newest month first."""

    model = DeductionStatement
    title = "服务商扣款单"
    columns = COLUMNS
    default_sort = "-month"
    filterset_class = StatementFilter
    search_fields = ("vendor__name", "contract__number", "contract__title")
    search_hint = "服务商或合同"
    detail_url_name = "appraisal:deduction_detail"
    template_name = "appraisal/deduction_list.html"
    empty_text = "每月初系统按合同的扣款约定生成上个月的扣款单；先在“扣款约定”中设置。"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (request.user.has_perm(VIEW) or ds.sees_all(request.user)):
            raise PermissionDenied
        self.can_terms = request.user.has_perm(TERMS_VIEW) or request.user.has_perm(MANAGE)
        return View.dispatch(self, request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return ds.statement_rows(self.request.user)


class OwnStatementListView(StatementListView):
    """A vendor's person: their own vendor's statements, filtered by state only."""

    filterset_class = OwnStatementFilter


_all_statements = StatementListView.as_view()
_own_statements = OwnStatementListView.as_view()


def deduction_list(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated and ds.sees_all(request.user):
        return _all_statements(request)
    return _own_statements(request)


def _statement_get(user: Any, pk: int) -> DeductionStatement:
    statement = (
        ds.statement_rows(user)
        .select_related("issued_by", "signed_by", "organization")
        .filter(pk=pk)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def _line_rows(lines: list[DeductionLine]) -> list[dict[str, Any]]:
    rows = []
    for line in lines:
        links = [
            (f"{EVIDENCE_URLS[kind][0]} #{pk}", url_for_pk(EVIDENCE_URLS[kind][1], pk))
            for kind, ids in (line.evidence or {}).items()
            if kind in EVIDENCE_URLS
            for pk in ids
        ]
        rows.append({"line": line, "links": links})
    return rows


def _context(statement: DeductionStatement, user: Any) -> dict[str, Any]:
    lines = ds.statement_lines(statement)
    own = user.has_perm(APPEAL) and membership(user).vendor_id == statement.vendor_id
    open_for_appeal = statement.status in (
        DeductionStatement.Status.ISSUED,
        DeductionStatement.Status.APPEALED,
    )
    return {
        "statement": statement,
        "rows": _line_rows(lines),
        "may_appeal": own and open_for_appeal,
        "may_answer": user.has_perm(RUN) and statement.status == "appealed",
        "may_refresh": user.has_perm(RUN) and statement.status == "draft",
        "steps": ds.available_steps(statement, user),
        "signed": statement.status == DeductionStatement.Status.SIGNED,
    }


@perm_required(VIEW, RUN, SIGN_OFF)
def deduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_get(request.user, pk)
    context = {**_context(statement, request.user), "changelog": changelog_entries(statement)}
    return render(request, "appraisal/deduction_detail.html", context)


@require_POST
@perm_required(APPEAL, RUN, SIGN_OFF)
def deduction_step(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_get(request.user, pk)
    name = request.POST.get("name", "")
    try:
        if name == "refresh":
            ds.statement_refresh(statement=statement, actor=request.user)
        else:
            ds.statement_step(statement=statement, actor=request.user, name=name)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "扣款单已更新。")
    return redirect("appraisal:deduction_detail", pk=statement.pk)


def _line_get(user: Any, pk: int, line_pk: str) -> DeductionLine:
    statement = _statement_get(user, pk)
    if not line_pk.isdigit() or len(line_pk) > 18:
        raise Http404
    line = DeductionLine.objects.filter(statement=statement, pk=int(line_pk)).first()
    if line is None:
        raise Http404
    line.statement = statement
    return line


@require_POST
@perm_required(APPEAL)
def deduction_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line_get(request.user, pk, request.POST.get("line", ""))
    try:
        ds.line_appeal(line=line, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已对“{line.label}”提出申诉，等待标准化办公室答复。")
    return redirect("appraisal:deduction_detail", pk=pk)


class AnswerForm(StyledForm):
    decision = forms.ChoiceField(label="处理", choices=[("accept", "采纳"), ("reject", "驳回")])
    amount = forms.DecimalField(
        label="更正后的金额（元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    answer = forms.CharField(label="答复", max_length=500)


@require_POST
@perm_required(RUN)
def deduction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line_get(request.user, pk, request.POST.get("line", ""))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("appraisal:deduction_detail", pk=pk)
    data = form.cleaned_data
    try:
        ds.line_answer(
            line=line,
            actor=request.user,
            accept=data["decision"] == "accept",
            answer=data["answer"],
            amount=data["amount"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已答复“{line.label}”的申诉。")
    return redirect("appraisal:deduction_detail", pk=pk)


@perm_required(VIEW, RUN, SIGN_OFF)
def deduction_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement_get(request.user, pk)
    lines = ds.statement_lines(statement)
    return statement_xlsx(statement, lines, getattr(request.user, "name", ""))


def _print_context(statement: DeductionStatement) -> dict[str, Any]:
    lines = ds.statement_lines(statement)
    return {
        "statement": statement,
        "lines": [{"line": line, "evidence": evidence_text(line)} for line in lines],
        "back_url": url_for_pk("appraisal:deduction_detail", statement.pk),
        "pdf_url": url_for_pk("appraisal:deduction_pdf", statement.pk),
    }


def _signed_get(user: Any, pk: int) -> DeductionStatement:
    statement = _statement_get(user, pk)
    if statement.status != DeductionStatement.Status.SIGNED:
        raise Http404
    return statement


@perm_required(VIEW, RUN, SIGN_OFF)
def deduction_print(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _signed_get(request.user, pk)
    return render(request, "appraisal/deduction_print.html", _print_context(statement))


@perm_required(VIEW, RUN, SIGN_OFF)
def deduction_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return statement_pdf(_print_context(_signed_get(request.user, pk)))


# ---- a contract's terms and rules ------------------------------------------------------------


@perm_required(TERMS_VIEW, MANAGE)
def deduction_contracts(request: HttpRequest) -> HttpResponse:
    """The contracts with their deduction terms (one query)."""
    user: Any = request.user
    contracts = (
        Contract.objects.for_user(user)
        .exclude(status=Contract.Status.DRAFT)
        .select_related("vendor", "deduction_terms")
        .annotate(
            rule_count=Count(
                "deduction_terms__rules", filter=Q(deduction_terms__rules__active=True)
            )
        )
        .order_by("vendor__name", "number")
    )
    return render(request, "appraisal/deduction_contracts.html", {"contracts": contracts})


class TermsForm(StyledForm):
    monthly_fee = forms.DecimalField(
        label="月服务费（元）", min_value=0, max_digits=12, decimal_places=2
    )
    cap_percent = forms.DecimalField(
        label="月扣款上限（占月服务费%）",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    service_line = forms.ChoiceField(
        label="计入的服务条线",
        choices=[("", "全部条线"), *ServiceLine.choices],
        required=False,
        help_text=DeductionTerms._meta.get_field("service_line").help_text,
    )


class RuleForm(StyledForm):
    basis = forms.ChoiceField(label="扣款依据", choices=DeductionRule.Basis.choices)
    severity = forms.ChoiceField(
        label="问题严重程度",
        choices=[("", "（按发现问题时选择）"), *Severity.choices],
        required=False,
    )
    threshold = forms.DecimalField(
        label="标准分（按第三方评价时填写）", required=False, max_digits=6, decimal_places=2
    )
    unit_amount = forms.DecimalField(
        label="每次（每分）扣款（元）", min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )


class MonthForm(StyledForm):
    month = forms.DateField(label="月份（该月任意一天）", widget=forms.DateInput({"type": "date"}))


def _contract_get(user: Any, pk: int) -> Contract:
    contract = Contract.objects.for_user(user).select_related("vendor").filter(pk=pk).first()
    if contract is None:
        raise Http404
    return contract


@perm_required(TERMS_VIEW, MANAGE)
def deduction_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract's terms and rules; the office saves the terms, adds or switches rules and
    makes a month's statement."""
    user: Any = request.user
    contract = _contract_get(user, pk)
    terms = DeductionTerms.objects.filter(contract=contract).first()
    can_manage = user.has_perm(MANAGE)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_manage:
        raise PermissionDenied
    initial = (
        {
            "monthly_fee": terms.monthly_fee,
            "cap_percent": terms.cap_percent,
            "service_line": terms.service_line,
        }
        if terms
        else {}
    )
    terms_form = TermsForm(request.POST if action == "terms" else None, initial=initial)
    rule_form = RuleForm(request.POST if action == "rule" else None)
    month_form = MonthForm(
        request.POST if action == "month" else None,
        initial={"month": ds.last_month(timezone.localdate())},
    )
    try:
        if action == "terms" and terms_form.is_valid():
            ds.terms_save(contract=contract, actor=user, data=terms_form.cleaned_data)
            messages.success(request, "扣款约定已保存。")
            return redirect("appraisal:deduction_terms", pk=contract.pk)
        if action in ("rule", "switch", "month") and terms is None:
            raise ValidationError("请先保存月服务费和月扣款上限。")
        if action == "rule" and rule_form.is_valid() and terms is not None:
            ds.rule_add(terms=terms, actor=user, data=rule_form.cleaned_data)
            messages.success(request, "扣款规则已添加。")
            return redirect("appraisal:deduction_terms", pk=contract.pk)
        if action == "switch" and terms is not None:
            rule = terms.rules.filter(pk=request.POST.get("rule", "0")).first()
            if rule is None:
                raise Http404
            ds.rule_switch(rule=rule, actor=user, active=not rule.active)
            messages.success(request, f"已{'启用' if not rule.active else '停用'}规则。")
            return redirect("appraisal:deduction_terms", pk=contract.pk)
        if action == "month" and month_form.is_valid() and terms is not None:
            statement, made = ds.statement_make(
                terms=terms, month=month_form.cleaned_data["month"], actor=user
            )
            messages.success(request, "已生成扣款单。" if made else "这个月的扣款单已经有了。")
            return redirect("appraisal:deduction_detail", pk=statement.pk)
    except ValidationError as error:
        target = {"terms": terms_form, "rule": rule_form}.get(action)
        if target is not None and (terms is not None or action == "terms"):
            add_errors(target, error)
        else:
            messages.error(request, "；".join(error.messages))
    rules = list(terms.rules.order_by("pk")) if terms else []
    context = {
        "contract": contract,
        "terms": terms,
        "rules": rules,
        "terms_form": terms_form,
        "rule_form": rule_form,
        "month_form": month_form,
        "can_manage": can_manage,
        "statements": list(
            DeductionStatement.objects.filter(contract=contract).order_by("-month")[:12]
        ),
    }
    return render(request, "appraisal/deduction_terms.html", context)


urlpatterns = [
    path("deductions/", deduction_list, name="deduction_list"),
    path("deductions/<int:pk>/", deduction_detail, name="deduction_detail"),
    path("deductions/<int:pk>/step/", deduction_step, name="deduction_step"),
    path("deductions/<int:pk>/appeal/", deduction_appeal, name="deduction_appeal"),
    path("deductions/<int:pk>/answer/", deduction_answer, name="deduction_answer"),
    path("deductions/<int:pk>/excel/", deduction_xlsx, name="deduction_xlsx"),
    path("deductions/<int:pk>/print/", deduction_print, name="deduction_print"),
    path("deductions/<int:pk>/pdf/", deduction_pdf, name="deduction_pdf"),
    path("deductions/contracts/", deduction_contracts, name="deduction_contracts"),
    path("deductions/contracts/<int:pk>/", deduction_terms, name="deduction_terms"),
]
