"""Home: what the signed-in person can do next, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from houqin.accounts.models import User
from houqin.accounts.selectors import home_cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "accounts/home.html", {"cards": home_cards(user)})
