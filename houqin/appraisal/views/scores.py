"""A score's page (得分明细): each line with its formula and numbers, the rows behind it
(each a link to its own page), the manual entries with their evidence; the subject's appeal
on a line during publicity, the office's manual entry while computing; and an appeal's page
where the office accepts (with the corrected points) or rejects it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from houqin.appraisal import period_services
from houqin.appraisal.models import Appeal, Period
from houqin.appraisal.period_forms import AppealForm, DecideForm, ManualEntryForm
from houqin.appraisal.views import periods_parts as parts
from houqin.common.attachments import attachments_for
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors

VIEW = "appraisal.view_period"
RUN = "appraisal.change_period"
APPEAL = "appraisal.add_appeal"
VIEW_APPEAL = "appraisal.view_appeal"
DECIDE = "appraisal.change_appeal"


def _score_context(request: HttpRequest, score: Any, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    period: Period = score.period
    may_enter = parts.may_enter(user, period)
    may_appeal = parts.may_appeal(user, score)
    targets = parts.manual_targets(score) if may_enter else []
    manual_form = forms.get("manual_form")
    if manual_form is None and targets:
        manual_form = ManualEntryForm(targets=targets)
    return {
        "score": score,
        "period": period,
        "lines": parts.breakdown(score, may_appeal),
        "appeals": parts.score_appeals(score),
        "manual_form": manual_form,
        "appeal_form": forms.get("appeal_form") or (AppealForm() if may_appeal else None),
        "appeal_line": forms.get("appeal_line"),
        "may_appeal": may_appeal,
    }


@perm_required(VIEW)
def score_detail(request: HttpRequest, pk: int) -> HttpResponse:
    score = parts.score_get(request.user, pk)
    return render(request, "appraisal/score_detail.html", _score_context(request, score))


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """Back to the score page: by a redirect, or for htmx by telling it where to go."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
@perm_required(RUN)
def score_manual(request: HttpRequest, pk: int) -> HttpResponse:
    """录入: a manual line's figure with its basis and evidence, while the period computes."""
    user: Any = request.user
    score = parts.score_get(user, pk)
    if not parts.may_enter(user, score.period):
        raise PermissionDenied
    form = ManualEntryForm(request.POST, request.FILES, targets=parts.manual_targets(score))
    if form.is_valid():
        data = form.cleaned_data
        indicator, adjustment = parts.manual_target(score, data["target"])
        try:
            period_services.manual_entry_set(
                score,
                indicator=indicator,
                adjustment=adjustment,
                value=data["value"],
                note=data["note"],
                actor=user,
                evidence=data["evidence"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "已录入，得分已按录入的数值重新计算。")
            return _done(request, reverse("appraisal:score_detail", args=[score.pk]))
    context = _score_context(request, score, manual_form=form)
    template = "appraisal/_score_manual.html" if getattr(request, "htmx", False) else None
    return render(request, template or "appraisal/score_detail.html", context)


@require_POST
@perm_required(APPEAL)
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """申诉: the subject contests one line during publicity, with a reason and evidence."""
    user: Any = request.user
    score = parts.score_get(user, pk)
    if not parts.may_appeal(user, score):
        raise PermissionDenied
    form = AppealForm(request.POST, request.FILES)
    posted_line = request.POST.get("line", "")
    line = (
        score.lines.filter(pk=posted_line).first()
        if posted_line.isdigit() and len(posted_line) < 18
        else None
    )
    if line is None:
        form.add_error(None, "没有找到要申诉的项目，请刷新页面后重试。")
    if form.is_valid() and line is not None:
        try:
            period_services.appeal_submit(
                score,
                line,
                reason=form.cleaned_data["reason"],
                actor=user,
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已对“{line.label}”提出申诉，标准化办公室处理后会通知您。")
            return _done(request, reverse("appraisal:score_detail", args=[score.pk]))
    context = _score_context(request, score, appeal_form=form, appeal_line=line)
    context["line"] = line
    template = "appraisal/_score_appeal.html" if getattr(request, "htmx", False) else None
    return render(request, template or "appraisal/score_detail.html", context)


@perm_required(VIEW_APPEAL)
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    appeal = parts.appeal_get(user, pk)
    can_decide = appeal.status == Appeal.Status.SUBMITTED and user.has_perm(DECIDE)
    form = DecideForm(figure=appeal.line.figure) if can_decide else None
    return render(request, "appraisal/appeal_detail.html", _appeal_context(appeal, form))


def _appeal_context(appeal: Appeal, form: DecideForm | None) -> dict[str, Any]:
    return {
        "appeal": appeal,
        "score": appeal.score,
        "period": appeal.score.period,
        "form": form,
        "evidence": attachments_for(appeal),
        "badge": parts.APPEAL_BADGES.get(appeal.status, ""),
        "changelog": changelog_entries(appeal),
    }


@require_POST
@perm_required(DECIDE)
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """采纳 (with the corrected points; the score is recomputed) or 驳回 (with a reason)."""
    user: Any = request.user
    appeal = parts.appeal_get(user, pk, "change")
    form = DecideForm(request.POST, figure=appeal.line.figure)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period_services.appeal_decide(
                appeal, data["decision"], actor=user, note=data["note"], corrected=form.corrected()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if data["decision"] == "accept":
                messages.success(request, "已采纳申诉，得分已重新计算。")
            else:
                messages.success(request, "已驳回申诉，已通知申诉人。")
            return redirect("appraisal:appeal_detail", pk=appeal.pk)
    return render(request, "appraisal/appeal_detail.html", _appeal_context(appeal, form))


urlpatterns: list[URLPattern] = [
    path("scores/<int:pk>/", score_detail, name="score_detail"),
    path("scores/<int:pk>/manual/", score_manual, name="score_manual"),
    path("scores/<int:pk>/appeal/", appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/", appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/decide/", appeal_decide, name="appeal_decide"),
]
