"""Home: what the signed-in person can do next, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from houqin.accounts.models import User
from houqin.accounts.selectors import home_cards
from houqin.standards.reminders import officer_cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    cards = [*officer_cards(user, today), *home_cards(user)]
    return render(request, "accounts/home.html", {"cards": cards})
