"""Shift handovers (交接班): the phone page on which the outgoing person fills one and the
incoming person signs, the list, and one handover's page."""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from houqin.checklists import services
from houqin.checklists.forms import HandoverForm
from houqin.checklists.models import Handover
from houqin.checklists.selectors import attachments_of, handover_get, handover_rows, local_minute
from houqin.common.changelog import changelog_entries
from houqin.common.decorators import perm_required
from houqin.common.generic import Col, ObjectListView, add_errors
from houqin.common.lists import url_for_pk

DO = "checklists.add_record"
SEE = "checklists.view_record"


def _short(text: str, size: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else f"{line[: size - 1]}…"


COLUMNS = [
    Col("交接时间", lambda r: local_minute(r.handed_at), "handed_at"),
    Col("班次", lambda r: r.shift, "shift"),
    Col("交接地点", lambda r: r.place.name if r.place_id else "", "place__name"),
    Col("交班人", lambda r: r.outgoing.name, "outgoing__name"),
    Col("接班人", lambda r: r.incoming.name, "incoming__name"),
    Col("未完成事项", lambda r: _short(r.open_items), export=lambda r: r.open_items),
]


class HandoverListView(ObjectListView):
    """The handovers the user may see, newest first."""

    model = Handover
    title = "交接班记录"
    columns = COLUMNS
    default_sort = "-handed_at"
    search_fields = ("shift", "done", "open_items", "handed", "outgoing__name", "incoming__name")
    search_hint = "班次、交接内容或人员"
    detail_url_name = "checklists:handover_detail"
    create_url_name = "checklists:handover_create"
    template_name = "checklists/handover_list.html"
    bulk_actions = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Handovers go with the records: whoever may see records may see them."""
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(SEE):
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return handover_rows(user=self.request.user)

    def row_html(self, row: Handover, selectable: bool = False) -> SafeString:
        url = html.escape(url_for_pk(self.detail_url_name, row.pk))
        place = html.escape(row.place.name) if row.place_id else "—"
        cells = [
            f'<td class="text-nowrap"><a href="{url}">{local_minute(row.handed_at)}</a></td>',
            f'<td data-label="班次">{html.escape(row.shift) or "—"}</td>',
            f'<td data-label="交接地点">{place}</td>',
            f'<td data-label="交班人">{html.escape(row.outgoing.name)}</td>',
            f'<td data-label="接班人">{html.escape(row.incoming.name)}</td>',
            f'<td class="text-break" data-label="未完成事项">'
            f"{html.escape(_short(row.open_items)) or '—'}</td>",
        ]
        return mark_safe("<tr>" + "".join(cells) + "</tr>")  # noqa: S308  (escaped above)

    def can_fill(self) -> bool:
        """Whether the “填写交接班” button shows (for those who do checks)."""
        return bool(self.request.user.has_perm(DO))


handover_list = HandoverListView.as_view()


@perm_required(DO)
def handover_create(request: HttpRequest) -> HttpResponse:
    """交接班：交班人填写，接班人在签名框里签名，一次保存。"""
    user: Any = request.user
    posted = request.POST if request.method == "POST" else None
    form = HandoverForm(posted, organization_id=user.organization_id, actor_id=user.pk)
    if posted is not None and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "signature"}
        try:
            handover = services.handover_create(
                organization=user.organization,
                actor=user,
                data=data,
                signature=form.cleaned_data["signature"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"交接班已记录，接班人：{handover.incoming.name}。")
            return redirect("checklists:handover_detail", pk=handover.pk)
    return render(request, "checklists/handover_form.html", {"form": form})


@perm_required(SEE)
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    signatures = attachments_of(Handover, [handover.pk]).get(handover.pk, [])
    return render(
        request,
        "checklists/handover_detail.html",
        {
            "handover": handover,
            "signature": signatures[-1] if signatures else None,
            "handed_at": local_minute(handover.handed_at),
            "changelog": changelog_entries(handover),
        },
    )


urlpatterns = [
    path("handovers/", handover_list, name="handover_list"),
    path("handovers/new/", handover_create, name="handover_create"),
    path("handovers/<int:pk>/", handover_detail, name="handover_detail"),
]
