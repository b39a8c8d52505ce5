"""Items of a template: add one written freely, edit it (with its pictures of what good
looks like), remove it, move it up or down, clear a changed-clause mark after review, and
add items by ticking the clauses of a standard in force."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from houqin.checklists import services
from houqin.checklists.forms import ItemForm, item_data
from houqin.checklists.models import ChecklistItem, ChecklistTemplate
from houqin.checklists.selectors import (
    Picker,
    citable_standards,
    clause_picker,
    item_get,
    template_get,
)
from houqin.checklists.views.templates import CHANGE, _actor
from houqin.common.attachments import attachments_for
from houqin.common.decorators import perm_required
from houqin.common.generic import add_errors
from houqin.common.lists import url_for_pk

MAX_PICKED = 500  # clauses taken from one form post


def _back(template_pk: int, item_pk: int | None = None) -> HttpResponse:
    url = url_for_pk("checklists:template_detail", template_pk)
    return redirect(f"{url}#item-{item_pk}" if item_pk else url)


def _render_item_form(
    request: HttpRequest,
    form: ItemForm,
    template: ChecklistTemplate,
    item: ChecklistItem | None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "template": template,
        "item": item,
        "cancel_url": url_for_pk("checklists:template_detail", template.pk),
    }
    if item is not None:
        context["attachments"] = attachments_for(item)
    return render(request, "checklists/item_form.html", context)


@perm_required(CHANGE)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    template = template_get(user=user, pk=pk, action="change")
    posted = request.POST if request.method == "POST" else None
    form = ItemForm(posted)
    if posted is not None and form.is_valid():
        try:
            item = services.item_add(template=template, actor=user, data=item_data(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已添加检查项“{item.text}”。")
            return _back(template.pk, item.pk)
    return _render_item_form(request, form, template, None)


@perm_required(CHANGE)
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = item_get(user=user, pk=pk, action="change")
    posted = request.POST if request.method == "POST" else None
    form = ItemForm(posted, instance=copy.copy(item))
    if posted is not None and form.is_valid():
        try:
            saved = services.item_change(item=item, actor=user, data=item_data(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已保存检查项“{saved.text}”。")
            return _back(saved.template_id, saved.pk)
    return _render_item_form(request, form, item.template, item)


@require_POST
@perm_required(CHANGE)
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = item_get(user=user, pk=pk, action="change")
    try:
        services.item_remove(item=item, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"已删除检查项“{item.text}”。")
    return _back(item.template_id)


@require_POST
@perm_required(CHANGE)
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = item_get(user=user, pk=pk, action="change")
    try:
        services.item_move(item=item, actor=user, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(item.template_id, item.pk)


@require_POST
@perm_required(CHANGE)
def citation_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    item = item_get(user=user, pk=pk, action="change")
    try:
        saved = services.citation_reviewed(item=item, actor=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(item.template_id, item.pk)
    messages.success(request, f"已复核检查项“{saved.text}”的依据条款。")
    return _back(saved.template_id, saved.pk)


def _picked(request: HttpRequest, picker: Picker) -> list[int]:
    """The ticked clause ids, each one a provision of the shown text not yet cited."""
    wanted = [v for v in request.POST.getlist("clauses") if v.isdigit()][:MAX_PICKED]
    if not wanted:
        raise ValidationError("请先勾选要添加的条款。")
    open_ids = {r.clause.pk for r in picker.rows if r.tickable and not r.cited}
    ids = [int(v) for v in wanted]
    if not set(ids) <= open_ids:
        raise ValidationError(
            "所选条款不在这项标准的现行文本中，或已经添加过，请刷新页面后重新勾选。"
        )
    return ids


@perm_required(CHANGE)
def items_from_clauses(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick a standard in force (search, then choose), tick clauses of its newest published
    text, add one item per ticked clause."""
    user = _actor(request)
    template = template_get(user=user, pk=pk, action="change")
    query = request.GET.get("q", "").strip()[:100]
    standards = list(citable_standards(user=user, query=query)[:200])
    chosen = request.POST.get("standard") or request.GET.get("standard", "")
    if not chosen and query and len(standards) == 1:
        chosen = str(standards[0].pk)
    picker = (
        clause_picker(user=user, standard_pk=int(chosen), template=template)
        if chosen.isdigit()
        else None
    )
    error = ""
    if request.method == "POST" and picker is not None:
        try:
            items = services.items_from_clauses(
                template=template, actor=user, clause_ids=_picked(request, picker)
            )
        except ValidationError as problem:
            error = "；".join(problem.messages)
        else:
            messages.success(
                request, f"已从《{picker.standard.title}》添加 {len(items)} 个检查项。"
            )
            return _back(template.pk)
    context = {
        "template": template,
        "query": query,
        "standards": standards,
        "chosen": chosen,
        "picker": picker,
        "error": error,
    }
    return render(request, "checklists/item_from_clauses.html", context)


urlpatterns = [
    path("templates/<int:pk>/items/new/", item_create, name="item_create"),
    path("templates/<int:pk>/items/from-clauses/", items_from_clauses, name="items_from_clauses"),
    path("items/<int:pk>/edit/", item_update, name="item_update"),
    path("items/<int:pk>/remove/", item_remove, name="item_remove"),
    path("items/<int:pk>/move/", item_move, name="item_move"),
    path("items/<int:pk>/reviewed/", citation_reviewed, name="citation_reviewed"),
]
