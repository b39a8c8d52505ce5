"""The scan entry ``/q/<token>``: a scanned QR label leads to its place or equipment. A
person who does checks sees the scan page instead: the tasks due there now (one tap starts
the first) and what the standards ask there, so the label also teaches the standard."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from houqin.checklists.models import DO_TASKS, Task
from houqin.checklists.selectors import requirements_here, tasks_here
from houqin.common.lists import url_for_pk
from houqin.places.models import Equipment, Place
from houqin.places.selectors import (
    scan_target,
)


@login_required
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """A scanned QR label: the place or equipment it names, or a friendly 404."""
    target = scan_target(user=request.user, token=token)
    if target is None:
        return render(request, "places/scan_invalid.html", status=404)
    if not request.user.has_perm(DO_TASKS):
        if isinstance(target, Place):
            return redirect("places:place_detail", pk=target.pk)
        return redirect("places:equipment_detail", pk=target.pk)
    return _scan_page(request, token, target)


def _scan_page(request: HttpRequest, token: str, target: Place | Equipment) -> HttpResponse:
    place: Place | None = None
    equipment: Equipment | None = None
    if isinstance(target, Place):
        place = Place.objects.get(pk=target.pk)
        kind, trail = place.get_kind_display(), ""
        detail_url = url_for_pk("places:place_detail", place.pk)
    else:
        equipment = Equipment.objects.select_related("place").get(pk=target.pk)
        kind, trail = "设备", f"在{equipment.place.name}"
        detail_url = url_for_pk("places:equipment_detail", equipment.pk)
    now = timezone.now()
    tasks = tasks_here(user=request.user, place=place, equipment=equipment, now=now)
    context = {
        "target": place or equipment,
        "kind": kind,
        "trail": trail,
        "detail_url": detail_url,
        "token": token,
        "cards": [_card(task, now) for task in tasks],
        "requirements": requirements_here(
            user=request.user, place=place, equipment=equipment, tasks=tasks
        ),
    }
    return render(request, "places/scan.html", context)


def _card(task: Task, now: Any) -> dict[str, Any]:
    """A task of the scan page: the due time in words and whether it is late."""
    due = timezone.localtime(task.due_at)
    day = "" if due.date() == timezone.localtime(now).date() else f"{due:%m-%d} "
    return {
        "task": task,
        "due": f"{day}{due:%H:%M} 前完成",
        "late": task.status == Task.Status.OVERDUE or task.due_at < now,
    }
