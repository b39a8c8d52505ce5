"""The rectification board (整改看板) for leaders and department heads: open and overdue
rectifications by department and by vendor, each count linking to the findings behind it;
and the rectification policy (整改规则)."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import url_for
from houqin.findings import services
from houqin.findings.forms import PolicyForm
from houqin.findings.selectors import BoardRow, rectification_board

OVERSEE = "checklists.view_schedule"  # the people who oversee checks: leaders, office, heads
CHANGE_POLICY = "findings.change_findingpolicy"
CELLS = (
    ("assigned", "待整改", {"status": "assigned"}),
    ("returned", "退回重改", {"status": "returned"}),
    ("fixed", "待验收", {"status": "fixed"}),
    ("effect_check", "待复查", {"status": "effect_check"}),
    ("overdue", "逾期", {"overdue": "1"}),
    ("total", "未关闭合计", {"status": "open"}),
)


def _cells(row: BoardRow, key: str) -> list[dict[str, Any]]:
    """Each count of a row with the findings list it links to (none for a row that the
    list cannot filter: rectifications without a department)."""
    base = url_for("findings:finding_list")
    cells = []
    for name, label, params in CELLS:
        value = getattr(row, name)
        url = ""
        if value and (row.key is not None or key == ""):
            query = {**params, **({key: row.key} if key else {})}
            url = f"{base}?{urlencode(query)}"
        cells.append({"label": label, "value": value, "url": url, "name": name})
    return cells


@perm_required(OVERSEE)
def board(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = rectification_board(user=user, now=timezone.now())
    chart = {
        "names": [row.name for row in data.departments],
        "series": [
            {"name": label, "values": [getattr(row, name) for row in data.departments]}
            for name, label, _ in CELLS
            if name in ("assigned", "returned", "fixed", "effect_check")
        ],
        "overdue": [row.overdue for row in data.departments],
    }
    context = {
        "board": data,
        "headers": [label for _, label, _ in CELLS],
        "totals": _cells(data.totals, ""),
        "departments": [(row, _cells(row, "department")) for row in data.departments],
        "vendors": [(row, _cells(row, "vendor")) for row in data.vendors],
        "chart": chart,
        "can_change_policy": user.has_perm(CHANGE_POLICY),
    }
    return render(request, "findings/board.html", context)


@perm_required(CHANGE_POLICY)
def policy(request: HttpRequest) -> HttpResponse:
    """整改规则: deadlines per severity, the repeat window and the effectiveness check."""
    user: Any = request.user
    current = services.policy_for(user.organization)
    posted = request.POST if request.method == "POST" else None
    form = PolicyForm(posted, instance=copy.copy(current))
    if posted is not None and form.is_valid():
        try:
            services.policy_update(policy=current, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "整改规则已保存，之后登记的问题按新规则定期限。")
            return redirect("findings:policy")
    context = {"form": form, "changelog": changelog_entries(current)}
    return render(request, "findings/policy.html", context)


urlpatterns = [
    path("board/", board, name="board"),
    path("settings/", policy, name="policy"),
]
