"""Lifecycle pages of the standards app: the lifecycle panel (``panel_context``, included by
the standard's page) and the lifecycle page; the steps (立项 approval, 审查, 批准发布, 实施,
复审, 修订, 废止; 征求意见 and its pages are in ``lifecycle_consultation``); "我的阅读确认";
the reminders of the standards office. Every POST goes through a service of
``houqin.standards.lifecycle``; its Chinese message is shown on the form or at the top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import url_for_pk
from houqin.standards import lifecycle as steps
from houqin.standards.models import (
    APPROVE,
    DRAFT,
    MANAGE,
    Acknowledgement,
    Comment,
    Consultation,
    PeriodicReview,
    ReviewMeeting,
    Standard,
)
from houqin.standards.reminders import consultations_open, overdue
from houqin.standards.selectors import standard_get
from houqin.standards.services import (
    adopted_text_open,
    adopted_text_publish,
    draft_version,
    published_version,
)
from houqin.standards.views.checks import check_context
from houqin.standards.views.lifecycle_consultation import urlpatterns as consultation_urls
from houqin.standards.views.lifecycle_forms import (
    ApproveForm,
    PeriodicDecisionForm,
    ReviewMeetingForm,
)
from houqin.standards.views.lifecycle_panel import panel_build, panel_context

__all__ = ["panel_context", "urlpatterns"]

VIEW = "standards.view_standard"


def _user(request: HttpRequest) -> Any:
    return request.user


def _standard(request: HttpRequest, pk: int, action: str = "change") -> Standard:
    return standard_get(user=request.user, pk=pk, action=action)


def _back_to(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the button was on (``next``, same site only), else ``default``."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


def _back(request: HttpRequest, standard: Standard) -> HttpResponseRedirect:
    return _back_to(request, steps.standard_link(standard))


def _step(
    request: HttpRequest,
    standard: Standard,
    run: Callable[[], Any],
    done: str,
    then: Callable[[Any], str] | None = None,
) -> HttpResponseRedirect:
    """Run one POST step through its service; its refusal is shown at the top. ``then``
    gives the page to go to after success from the service's result (default: back)."""
    try:
        result = run()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _back(request, standard)
    messages.success(request, done)
    return HttpResponseRedirect(then(result)) if then else _back(request, standard)


def _note(request: HttpRequest) -> str:
    return request.POST.get("note", "")[:300]


# ---- the panel's POST steps ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A one-button lifecycle step: who may press it, the service it runs (called with
    ``standard`` and ``actor``, plus ``note`` when the step asks for a reason) and what the
    page says when it is done."""

    permission: str
    service: Callable[..., Any]
    done: str
    with_note: bool = False
    then: Callable[[Any], str] | None = None  # where to go next, from the service's result


STEPS: dict[str, Step] = {
    "proposal_approve": Step(
        MANAGE, steps.proposal_approve, "已批准立项，标准进入起草阶段，第一版草案已建好。"
    ),
    "proposal_reject": Step(MANAGE, steps.proposal_reject, "已记录不予立项。", with_note=True),
    "review_submit": Step(DRAFT, steps.review_submit, "已提交审查，已通知中心领导和标准化办公室。"),
    "standard_return_drafting": Step(
        DRAFT, steps.standard_return_drafting, "已退回起草。", with_note=True
    ),
    "standard_take_effect": Step(
        MANAGE, steps.standard_take_effect, "标准已开始实施，适用人员已收到阅读确认任务。"
    ),
    "periodic_review_start": Step(MANAGE, steps.periodic_review_start, "已开始复审。"),
    "standard_revise": Step(
        MANAGE, steps.standard_revise, "已转入修订，修订草案已按现行版本建好。", with_note=True
    ),
    "standard_withdraw": Step(MANAGE, steps.standard_withdraw, "标准已废止。", with_note=True),
    "adopted_text_open": Step(
        MANAGE,
        adopted_text_open,
        "录入稿已建好，请逐条录入；录完后回到标准页面发布。",
        then=lambda version: reverse("standards:editor", args=[version.pk]),
    ),
    "adopted_text_publish": Step(
        MANAGE, adopted_text_publish, "录入的条款已发布，检查表可以引用这些条款。"
    ),
}


def step_view(name: str) -> Callable[..., HttpResponse]:
    """The POST view of one step of ``STEPS``."""
    step = STEPS[name]

    @require_POST
    @perm_required(step.permission)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        standard = _standard(request, pk)
        note = {"note": _note(request)} if step.with_note else {}
        return _step(
            request,
            standard,
            lambda: step.service(standard=standard, actor=_user(request), **note),
            step.done,
            step.then,
        )

    view.__name__ = name
    return view


# ---- the lifecycle page --------------------------------------------------------------------


@perm_required(VIEW)
def standard_lifecycle(request: HttpRequest, pk: int) -> HttpResponse:
    """A standard's lifecycle: the panel and the record of every round (consultations,
    review meetings, periodic reviews) and of the acknowledgements."""
    standard = _standard(request, pk, "view")
    user = _user(request)
    panel = panel_build(user, standard, timezone.localdate())
    consultations = list(
        Consultation.objects.filter(standard=standard)
        .select_related("version", "opened_by")
        .annotate(
            total=Count("comments"),
            pending=Count("comments", filter=Q(comments__disposition=Comment.Disposition.PENDING)),
        )
        .order_by("-created_at", "-pk")
    )
    meetings = list(
        ReviewMeeting.objects.filter(standard=standard)
        .select_related("version", "recorded_by")
        .order_by("-pk")
    )
    reviews = list(
        PeriodicReview.objects.filter(standard=standard)
        .select_related("decided_by")
        .order_by("-decided_on", "-pk")
    )
    version = published_version(standard)
    acks = (
        Acknowledgement.objects.filter(version=version).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__isnull=False))
        )
        if version is not None
        else {"total": 0, "done": 0}
    )
    return render(
        request,
        "standards/lifecycle_detail.html",
        {
            "standard": standard,
            "panel": panel,
            "next_url": request.get_full_path(),
            "detail_url": steps.standard_link(standard),
            "consultations": consultations,
            "meetings": meetings,
            "reviews": reviews,
            "acks": acks,
            "ack_version": version,
        },
    )


# ---- 审查、批准、复审 ----------------------------------------------------------------------


@perm_required(MANAGE)
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the review meeting's conclusion."""
    standard = _standard(request, pk)
    form = ReviewMeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = steps.review_record(
                standard=standard,
                actor=_user(request),
                held_on=data["held_on"],
                reviewers=data["reviewers"],
                conclusion=data["conclusion"],
                conditions=data["conditions"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if meeting.conclusion == ReviewMeeting.Conclusion.FAILED:
                messages.success(request, "已记录：审查不通过，草案已退回起草。")
            else:
                messages.success(request, "已记录审查结论，已通知中心领导批准发布。")
            return HttpResponseRedirect(steps.standard_link(standard))
    version = draft_version(standard)
    return render(
        request,
        "standards/review_form.html",
        {
            "standard": standard,
            "form": form,
            "version": version,
            "check_html": render_to_string(
                "standards/_check_panel.html", check_context(version, request.user), request
            )
            if version is not None
            else "",
            "detail_url": steps.standard_link(standard),
            "refusal": ""
            if standard.status == Standard.Status.REVIEW
            else f"标准处于“{standard.get_status_display()}”阶段，须先提交审查。",
        },
    )


@perm_required(APPROVE)
def standard_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve and publish: the number and dates are fixed with the version."""
    standard = _standard(request, pk)
    today = timezone.localdate()
    version = draft_version(standard)
    form = ApproveForm(
        request.POST if request.method == "POST" else None,
        initial={
            "number": standard.number or (version.number if version else ""),
            "published_on": today,
            "effective_on": today + timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            steps.standard_approve(
                standard=standard,
                actor=_user(request),
                number=data["number"],
                published_on=data["published_on"],
                effective_on=data["effective_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if standard.status == Standard.Status.IN_FORCE:
                messages.success(request, "已批准发布并开始实施。")
            else:
                messages.success(
                    request,
                    f"已批准发布，将于 {standard.effective_on:%Y-%m-%d} 开始实施。",
                )
            return HttpResponseRedirect(steps.standard_link(standard))
    from houqin.standards.services import settings_for

    prefix = settings_for(standard.organization).internal_prefix
    return render(
        request,
        "standards/lifecycle_approve.html",
        {
            "standard": standard,
            "form": form,
            "version": version,
            "meeting": steps.approval_review(standard),
            "refusal": steps.approval_refusal(standard),
            "example": f"{prefix}/FW 003—{today.year}",
            "detail_url": steps.standard_link(standard),
        },
    )


@perm_required(MANAGE)
def periodic_review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The conclusion of a periodic review: valid, revise or withdraw."""
    standard = _standard(request, pk)
    form = PeriodicDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = steps.periodic_review_decide(
                standard=standard,
                actor=_user(request),
                conclusion=form.cleaned_data["conclusion"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            done = {
                PeriodicReview.Conclusion.VALID: (
                    f"复审结论：继续有效；下次复审 {standard.review_due_on:%Y-%m-%d}。"
                    if standard.review_due_on
                    else "复审结论：继续有效。"
                ),
                PeriodicReview.Conclusion.REVISE: "复审结论：修订；修订草案已按现行版本建好。",
                PeriodicReview.Conclusion.WITHDRAW: "复审结论：废止；标准已废止。",
            }[PeriodicReview.Conclusion(review.conclusion)]
            messages.success(request, done)
            return HttpResponseRedirect(steps.standard_link(standard))
    allowed = standard.status in (Standard.Status.UNDER_REVIEW, Standard.Status.IN_FORCE)
    return render(
        request,
        "standards/review_periodic.html",
        {
            "standard": standard,
            "form": form,
            "detail_url": steps.standard_link(standard),
            "refusal": ""
            if allowed
            else f"标准处于“{standard.get_status_display()}”阶段，复审针对实施中的标准。",
        },
    )


# ---- 阅读确认 ------------------------------------------------------------------------------


@login_required
def acknowledgement_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's standards to read and acknowledge, and those done lately."""
    user = _user(request)
    today = timezone.localdate()
    mine = (
        Acknowledgement.objects.for_user(user, "view")
        .filter(user=user)
        .exclude(version__standard__status=Standard.Status.WITHDRAWN)
        .select_related("version__standard")
    )
    pending = list(mine.filter(acknowledged_at__isnull=True).order_by("due_on", "pk"))
    done = list(mine.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:20])
    rows = [
        {
            "ack": ack,
            "standard": ack.version.standard,
            "late": ack.due_on < today,
            "read_url": url_for_pk("standards:read", ack.version.standard_id),
        }
        for ack in pending
    ]
    return render(
        request,
        "standards/acknowledge_list.html",
        {"rows": rows, "done": done, "today": today},
    )


@require_POST
@login_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    ack = (
        Acknowledgement.objects.for_user(request.user, "change")
        .select_related("version__standard")
        .filter(pk=pk)
        .first()
    )
    if ack is None:
        raise Http404
    try:
        steps.acknowledge(acknowledgement=ack, actor=_user(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已确认阅读《{ack.version.standard.title}》。")
    return _back_to(request, reverse("standards:acknowledgement_list"))


# ---- 提醒 ----------------------------------------------------------------------------------


@perm_required(MANAGE)
def reminder_list(request: HttpRequest) -> HttpResponse:
    """What the standards office should chase: overdue reviews, consultations past their
    deadline, late proposals and drafts, overdue acknowledgements, consultations open."""
    user = _user(request)
    today = timezone.localdate()
    found = overdue(user.organization_id, today)
    in_progress = [c for c in consultations_open(user.organization_id) if c.deadline >= today]
    return render(
        request,
        "standards/lifecycle_reminders.html",
        {"found": found, "in_progress": in_progress, "today": today},
    )


urlpatterns: list[URLPattern] = [
    *consultation_urls,
    path("<int:pk>/lifecycle/", standard_lifecycle, name="standard_lifecycle"),
    *(
        path(f"<int:pk>/{route}/", step_view(name), name=name)
        for route, name in (
            ("proposal/approve", "proposal_approve"),
            ("proposal/reject", "proposal_reject"),
            ("review/submit", "review_submit"),
            ("return", "standard_return_drafting"),
            ("take-effect", "standard_take_effect"),
            ("periodic-review/start", "periodic_review_start"),
            ("adopted-text/open", "adopted_text_open"),
            ("adopted-text/publish", "adopted_text_publish"),
            ("revise", "standard_revise"),
            ("withdraw", "standard_withdraw"),
        )
    ),
    path("<int:pk>/review/record/", review_record, name="review_record"),
    path("<int:pk>/approve/", standard_approve, name="standard_approve"),
    path("<int:pk>/periodic-review/", periodic_review_decide, name="periodic_review_decide"),
    path("acknowledgements/", acknowledgement_list, name="acknowledgement_list"),
    path("acknowledgements/<int:pk>/", acknowledge, name="acknowledge"),
    path("reminders/", reminder_list, name="reminder_list"),
]
