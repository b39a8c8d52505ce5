"""The scan entry ``/q/<token>``: a scanned QR label leads to its place or equipment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from houqin.places.models import Equipment, Place
from houqin.places.selectors import (
    scan_target,
)


@login_required
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """A scanned QR label: the place or equipment it names, or a friendly 404."""
    target = scan_target(user=request.user, token=token)
    if isinstance(target, Place):
        return redirect("places:place_detail", pk=target.pk)
    if isinstance(target, Equipment):
        return redirect("places:equipment_detail", pk=target.pk)
    return render(request, "places/scan_invalid.html", status=404)
