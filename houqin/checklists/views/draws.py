"""Random spot checks (随机抽查) and special campaigns (专项检查): the lists, the draw form,
a draw's page with its seed, candidate lists and “重新抽取核验”, a campaign's page with its
tasks, records, pass rate and findings, and assigning a campaign's tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from houqin.checklists import draw_services as services
from houqin.checklists.draw_forms import CampaignAssignForm, CampaignForm, DrawForm
from houqin.checklists.draw_selectors import (
    campaign_get,
    campaign_rows,
    campaign_sheet,
    draw_get,
    draw_rows,
    draw_sheet,
)
from houqin.checklists.record_selectors import local_minute
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors

SEE = "checklists.view_schedule"
MANAGE = "checklists.add_task"
PER_PAGE = 30


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


@perm_required(SEE)
def draw_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, draw_rows(user=request.user).order_by("-drawn_at", "-pk"))
    return render(
        request,
        "checklists/draw_list.html",
        {"page": page, "can_draw": request.user.has_perm(MANAGE)},
    )


@perm_required(MANAGE)
def draw_create(request: HttpRequest) -> HttpResponse:
    """发起随机抽查：选检查表、抽查范围、检查人员范围和数量，系统抽取并派任务。"""
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = DrawForm(posted, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        ask = services.DrawRequest(
            title=data["title"],
            template=data["template"],
            opens_at=data["opens_at"],
            due_at=data["due_at"],
            subjects_wanted=data["subjects_wanted"],
            inspectors_each=data["inspectors_each"],
            place=form.place_obj(),
            place_kind=data["place_kind"] or "",
            equipment=list(data["equipment"]),
            department_id=data["department"].pk if data["department"] else None,
            post_id=data["post"].pk if data["post"] else None,
            team_id=data["team"].pk if data["team"] else None,
            people=list(data["people"]),
            avoid_own_department=data["avoid_own_department"],
            campaign=data["campaign"],
        )
        try:
            draw = services.draw_create(organization=user.organization, actor=user, request=ask)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已抽取 {len(draw.result)} 个对象，并派出检查任务。")
            return redirect("checklists:draw_detail", pk=draw.pk)
    return render(request, "checklists/draw_form.html", {"form": form})


def _detail(request: HttpRequest, pk: int, verified: bool | None) -> HttpResponse:
    draw = draw_get(user=request.user, pk=pk)
    return render(
        request,
        "checklists/draw_detail.html",
        {
            "draw": draw,
            "sheet": draw_sheet(draw),
            "drawn_at": local_minute(draw.drawn_at),
            "window": f"{local_minute(draw.opens_at)} 至 {local_minute(draw.due_at)}",
            "verified": verified,
            "changelog": changelog_entries(draw),
        },
    )


@perm_required(SEE)
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, None)


@perm_required(SEE)
@require_POST
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """重新抽取核验：用记录的随机种子和候选名单重新抽一次，与原结果比对。"""
    draw = draw_get(user=request.user, pk=pk)
    return _detail(request, pk, services.draw_verify(draw))


@perm_required(SEE)
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, campaign_rows(user=request.user).order_by("-starts_on", "-pk"))
    return render(
        request,
        "checklists/campaign_list.html",
        {"page": page, "can_manage": request.user.has_perm(MANAGE)},
    )


@perm_required(MANAGE)
def campaign_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = CampaignForm(posted)
    if posted is not None and form.is_valid():
        try:
            campaign = services.campaign_create(
                organization=user.organization, actor=user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"专项检查“{campaign.title}”已建立，请派检查任务。")
            return redirect("checklists:campaign_detail", pk=campaign.pk)
    return render(request, "checklists/campaign_form.html", {"form": form})


@perm_required(SEE)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    return render(
        request,
        "checklists/campaign_detail.html",
        {
            "campaign": campaign,
            "sheet": campaign_sheet(campaign),
            "can_manage": request.user.has_perm(MANAGE),
            "changelog": changelog_entries(campaign),
        },
    )


@perm_required(MANAGE)
def campaign_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """专项检查派任务：选检查表、场所和检查人员。"""
    user: Any = request.user
    campaign = campaign_get(user=user, pk=pk)
    posted = request.POST if request.method == "POST" else None
    form = CampaignAssignForm(posted, organization_id=user.organization_id)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        place = form.place_obj()
        try:
            if place is None:
                raise ValidationError({"place": "请选择场所。"})
            count = services.campaign_tasks_assign(
                campaign=campaign,
                actor=user,
                template=data["template"],
                place=place,
                place_kind=data["place_kind"] or "",
                person=data["person"],
                opens_at=data["opens_at"],
                due_at=data["due_at"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"新派出 {count} 个专项检查任务。")
            return redirect("checklists:campaign_detail", pk=campaign.pk)
    return render(request, "checklists/campaign_assign.html", {"form": form, "campaign": campaign})


urlpatterns = [
    path("draws/", draw_list, name="draw_list"),
    path("draws/new/", draw_create, name="draw_create"),
    path("draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", draw_verify, name="draw_verify"),
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/assign/", campaign_assign, name="campaign_assign"),
]
