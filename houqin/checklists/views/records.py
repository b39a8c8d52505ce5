"""Doing a check on a phone: start a task's record, answer item by item (each answer saved as
the person goes, photos and signatures uploaded one by one), see what submitting would give,
submit once, and the result. The page works without its script too: the form posts every
answer and photo with the submission."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from houqin.checklists import services
from houqin.checklists.models import ChecklistItem, Record
from houqin.checklists.selectors import (
    answer_own,
    local_minute,
    record_failures,
    record_get,
    record_own,
    record_result,
    record_sheet,
    record_where,
    task_get,
)
from houqin.common.decorators import perm_required
from houqin.common.lists import url_for_pk
from houqin.places.models import Equipment, Place
from houqin.places.selectors import scan_target

DO = "checklists.add_record"
SEE = "checklists.view_record"
A = ChecklistItem.AnswerType


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _json_error(error: ValidationError | str, status: int = 400) -> JsonResponse:
    words = [error] if isinstance(error, str) else _messages(error)
    return JsonResponse({"error": "；".join(words), "messages": words}, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _tasks_page() -> str:
    return reverse("checklists:my_tasks")


def _scanned(request: HttpRequest, token: str) -> tuple[Place | None, Equipment | None]:
    """The place or equipment of the label the person scanned before starting (if any)."""
    target = scan_target(user=request.user, token=token) if token else None
    if isinstance(target, Place):
        return Place.objects.get(pk=target.pk), None
    if isinstance(target, Equipment):
        equipment = Equipment.objects.select_related("place").get(pk=target.pk)
        return equipment.place, equipment
    return None, None


@require_POST
@perm_required(DO)
def record_start(request: HttpRequest, pk: int) -> HttpResponse:
    """开始检查：接手任务，开始（或继续）这项任务的记录，进入填写页面。"""
    task = task_get(user=request.user, pk=pk)
    token = request.POST.get("scan", "")[:64]
    place, equipment = _scanned(request, token)
    try:
        record = services.record_open(
            task=task,
            actor=request.user,
            client_key=_client_key(request.POST.get("client_key", "")),
            place=place,
            equipment=equipment,
        )
    except ValidationError as error:
        messages.error(request, "；".join(_messages(error)))
        return redirect(reverse("places:scan", args=[token]) if place else _tasks_page())
    if record.status == Record.Status.SUBMITTED:
        return redirect("checklists:record_result", pk=record.pk)
    return redirect("checklists:record_fill", pk=record.pk)


def _client_key(value: str) -> str | None:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def _fill_context(record: Record, problems: list[str]) -> dict[str, Any]:
    rows = record_sheet(record)
    return {
        "record": record,
        "rows": rows,
        "where": record_where(record),
        "problems": problems,
        "answered": sum(1 for r in rows if r.answer.outcome or r.photos),
        "started": local_minute(record.started_at),
    }


@require_GET
@perm_required(DO)
def record_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """填写记录：每项一张卡片，答案随填随存。"""
    record = record_own(user=request.user, pk=pk)
    if record.status == Record.Status.SUBMITTED:
        return redirect("checklists:record_result", pk=record.pk)
    return render(request, "checklists/record_fill.html", _fill_context(record, []))


@require_POST
@perm_required(DO)
def answer_save(request: HttpRequest, pk: int) -> JsonResponse:
    """保存一项答案（手机每改一次发一次）：返回结果和这项还缺什么。"""
    answer = answer_own(user=request.user, pk=pk)
    value = request.POST.get("value", "")
    if answer.item.answer_type in (A.SIGNATURE, A.PHOTO):
        value = answer.value  # set by the signature box or the photos, not typed
    try:
        answer = services.answer_save(
            answer=answer, actor=request.user, value=value, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        status = 409 if answer.record.status == Record.Status.SUBMITTED else 400
        return _json_error(error, status)
    return JsonResponse({"outcome": answer.outcome, "value": answer.value, "note": answer.note})


@require_POST
@perm_required(DO)
def answer_photo(request: HttpRequest, pk: int) -> JsonResponse:
    """给一项答案加一张照片（手机上已缩小并加了时间、地点水印）。"""
    answer = answer_own(user=request.user, pk=pk)
    upload = request.FILES.get("photo")
    if upload is None:
        return _json_error("请先拍照或选择照片。")
    try:
        photo = services.answer_photo_add(answer=answer, actor=request.user, upload=upload)
    except ValidationError as error:
        return _json_error(error, 409 if answer.record.status != Record.Status.DRAFT else 400)
    return JsonResponse(
        {"id": photo.pk, "thumb": url_for_pk("common:attachment_thumb", photo.pk)}, status=201
    )


@require_POST
@perm_required(DO)
def answer_photo_delete(request: HttpRequest, pk: int) -> JsonResponse:
    answer = answer_own(user=request.user, pk=pk)
    try:
        services.answer_photo_delete(
            answer=answer, actor=request.user, attachment_id=request.POST.get("photo", "")
        )
    except (ValidationError, ValueError) as error:
        return _json_error(error if isinstance(error, ValidationError) else "照片不存在。")
    return JsonResponse({"deleted": True})


@require_POST
@perm_required(DO)
def answer_sign(request: HttpRequest, pk: int) -> JsonResponse:
    """保存签名项的签名（手指写在签名框里，存为图片）。"""
    answer = answer_own(user=request.user, pk=pk)
    upload = request.FILES.get("signature")
    if upload is None:
        return _json_error("请先签名。")
    try:
        answer = services.answer_sign(answer=answer, actor=request.user, upload=upload)
    except ValidationError as error:
        return _json_error(error)
    return JsonResponse({"outcome": answer.outcome, "value": answer.value})


@require_GET
@perm_required(DO)
def record_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """提交前的确认：现在提交会是什么结果，哪些项不合格，还缺什么。"""
    record = record_own(user=request.user, pk=pk)
    if record.status == Record.Status.SUBMITTED:
        return redirect("checklists:record_result", pk=record.pk)
    preview = services.record_preview(record)
    return render(
        request,
        "checklists/_record_summary.html",
        {"record": record, "preview": preview, "method": services.scoring_method(record.template)},
    )


def _coordinate(value: str, limit: int) -> Decimal | None:
    try:
        number = Decimal(value.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() and abs(number) <= limit else None


def _save_posted(request: HttpRequest, record: Record) -> list[str]:
    """The answers and photos the form itself posted (when the page's script did not run):
    saved one by one, each problem in words."""
    problems: list[str] = []
    for answer in record.answers.select_related("item").order_by("position"):
        key = f"value_{answer.pk}"
        photos = request.FILES.getlist(f"photo_{answer.pk}")
        try:
            if key in request.POST or f"note_{answer.pk}" in request.POST:
                value = request.POST.get(key, answer.value)
                note = request.POST.get(f"note_{answer.pk}", answer.note)
                if (value, note) != (answer.value, answer.note):
                    services.answer_save(answer=answer, actor=request.user, value=value, note=note)
            for upload in photos:
                services.answer_photo_add(answer=answer, actor=request.user, upload=upload)
        except ValidationError as error:
            problems.append(f"{answer.item.text}：{'；'.join(_messages(error))}")
    return problems


@require_POST
@perm_required(DO)
def record_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """提交记录（重复提交返回同一份记录）：不合格项生成问题，任务完成。"""
    record = record_own(user=request.user, pk=pk)
    result_url = url_for_pk("checklists:record_result", record.pk)
    if record.status == Record.Status.SUBMITTED:
        return JsonResponse({"url": result_url}) if _wants_json(request) else redirect(result_url)
    problems = _save_posted(request, record)
    if not problems:
        try:
            services.record_complete(
                record=record,
                actor=request.user,
                latitude=_coordinate(request.POST.get("latitude", ""), 90),
                longitude=_coordinate(request.POST.get("longitude", ""), 180),
            )
        except ValidationError as error:
            problems = _messages(error)
    if not problems:
        if _wants_json(request):
            return JsonResponse({"url": result_url})
        return redirect(result_url)
    if _wants_json(request):
        return JsonResponse({"error": "还不能提交。", "messages": problems}, status=400)
    record.refresh_from_db()
    return render(
        request, "checklists/record_fill.html", _fill_context(record, problems), status=400
    )


@require_GET
@perm_required(SEE)
def record_result_page(request: HttpRequest, pk: int) -> HttpResponse:
    """提交后的结果：合格与否、得分、计分方法、不合格项和生成的问题。"""
    record = record_get(user=request.user, pk=pk)
    if record.status == Record.Status.DRAFT:
        if record.inspector_id == request.user.pk:
            return redirect("checklists:record_fill", pk=record.pk)
        return redirect("checklists:record_detail", pk=record.pk)
    return render(
        request,
        "checklists/record_result.html",
        {
            "record": record,
            "verdict": record_result(record),
            "where": record_where(record),
            "failures": record_failures(record),
            "method": services.scoring_method(record.template),
            "submitted": local_minute(record.submitted_at),
            "tasks_url": _tasks_page(),
        },
    )


urlpatterns = [
    path("records/start/<int:pk>/", record_start, name="record_start"),
    path("records/<int:pk>/fill/", record_fill, name="record_fill"),
    path("records/<int:pk>/summary/", record_summary, name="record_summary"),
    path("records/<int:pk>/submit/", record_submit, name="record_submit"),
    path("records/<int:pk>/result/", record_result_page, name="record_result"),
    path("records/answers/<int:pk>/", answer_save, name="answer_save"),
    path("records/answers/<int:pk>/photos/", answer_photo, name="answer_photo"),
    path(
        "records/answers/<int:pk>/photos/delete/",
        answer_photo_delete,
        name="answer_photo_delete",
    ),
    path("records/answers/<int:pk>/signature/", answer_sign, name="answer_sign"),
]
